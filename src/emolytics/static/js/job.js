/* Emolytics job progress.
 *
 * Markup:
 *   <div class="job-progress" data-job-url="/jobs/7.json" [data-done-url="/datasets/3"]>
 *     <progress max="1" value="0">0%</progress>
 *     <span class="job-progress-text" role="status">Waiting…</span>
 *   </div>
 * Also understood: a `.job-status` element (gets the raw status), a `.job-error` element (gets
 * the error message) and forms inside the box (hidden once the job has finished, e.g. Cancel).
 * The count's words are the job's own `progress_noun` ("texts analysed", "steps").
 * Polls the job JSON every second (every five while the tab is hidden), shows
 * "1,200 of 5,000 texts analysed (24%)", reloads the page (or follows data-done-url) when the
 * job is done (the page's messages kept for messages.js to show again), shows the error when
 * it failed, and stops polling once the job has finished.
 */
(() => {
  "use strict";

  const POLL_MS = 1000;
  const HIDDEN_POLL_MS = 5000;
  const MAX_BACKOFF_MS = 15000;
  const GIVE_UP_AFTER = 30; // consecutive failed requests
  const FINISHED = new Set(["done", "failed", "cancelled"]);

  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const count = (value) => numberFormat.format(value);

  function textTarget(box) {
    let target =
      box.querySelector("[data-job-text], .job-progress-text, .job-text") ||
      box.querySelector("span:not(.job-status)");
    if (!target) {
      target = document.createElement("span");
      target.className = "job-progress-text";
      box.append(target);
    }
    if (!target.hasAttribute("role")) target.setAttribute("role", "status");
    return target;
  }

  function progressText(job, noun) {
    const done = Math.max(0, Number(job.done) || 0);
    const total = Math.max(0, Number(job.total) || 0);
    if (!total) return job.status === "queued" ? "Waiting to start…" : "Starting…";
    const percent = Math.min(100, Math.floor((done / total) * 100));
    return `${count(done)} of ${count(total)} ${noun} (${percent}%)`;
  }

  function showProgress(bar, job) {
    if (!bar) return;
    const total = Number(job.total) || 0;
    if (total > 0 && job.status !== "queued") {
      bar.max = total;
      bar.value = Math.min(total, Math.max(0, Number(job.done) || 0));
    } else {
      bar.removeAttribute("value"); // indeterminate
    }
  }

  function setState(box, state) {
    for (const name of ["queued", "running", "done", "failed", "cancelled", "lost"]) {
      box.classList.toggle(`is-${name}`, name === state);
    }
    box.dataset.jobStatus = state;
  }

  function jobName(job) {
    const kind = String(job.kind || "job").replace(/_/g, " ");
    return kind.charAt(0).toUpperCase() + kind.slice(1);
  }

  /** The page's messages, for messages.js to show again on the page at `next`. */
  function keepMessages(next) {
    const messages = Array.from(document.querySelectorAll("main > .flash"), (paragraph) => ({
      className: paragraph.className,
      text: paragraph.textContent,
    }));
    if (!messages.length) return;
    const url = new URL(next, window.location.href).href;
    try {
      window.sessionStorage.setItem("emolytics-kept-messages", JSON.stringify({ url, messages }));
    } catch {
      // storage disabled: the results show without them
    }
  }

  /** Reloads once per job and tab: if the page still shows the job afterwards, a link instead. */
  function goToResults(box, text) {
    const next = box.dataset.doneUrl || window.location.href;
    const key = `emolytics-job-finished:${box.dataset.jobUrl}`;
    let alreadyReloaded = false;
    try {
      alreadyReloaded = window.sessionStorage.getItem(key) === next;
      window.sessionStorage.setItem(key, next);
    } catch {
      // storage disabled: reload anyway
    }
    if (!alreadyReloaded) {
      keepMessages(next);
      text.textContent = "Finished. Loading the results…";
      if (box.dataset.doneUrl) window.location.assign(next);
      else window.location.reload();
      return;
    }
    const link = document.createElement("a");
    link.href = next;
    link.textContent = "Show the results";
    text.replaceChildren("Finished. ", link);
  }

  function finish(box, bar, text, job) {
    box.querySelectorAll("form").forEach((form) => {
      form.hidden = true;
    });
    if (job.status === "done") {
      if (bar) {
        bar.max = Math.max(1, Number(job.total) || 1);
        bar.value = bar.max;
      }
      goToResults(box, text);
    } else if (job.status === "failed") {
      const message = job.error || "it stopped with an error.";
      const errorBox = box.querySelector(".job-error, [data-job-error]");
      if (errorBox) {
        errorBox.textContent = message;
        errorBox.hidden = false;
        text.textContent = `${jobName(job)} failed.`;
      } else {
        text.textContent = `${jobName(job)} failed: ${message}`;
      }
    } else {
      text.textContent = `${jobName(job)} was cancelled.`;
    }
  }

  function track(box) {
    if (box.dataset.jobBound) return;
    box.dataset.jobBound = "1";
    const url = box.dataset.jobUrl;
    const nounFor = (job) => job.progress_noun || "done";
    const bar = box.querySelector("progress");
    const text = textTarget(box);
    let failures = 0;

    const schedule = (delay) => {
      const wait = delay ?? (document.hidden ? HIDDEN_POLL_MS : POLL_MS);
      window.setTimeout(poll, wait);
    };

    const onError = (message) => {
      failures += 1;
      if (failures >= GIVE_UP_AFTER) {
        setState(box, "lost");
        text.textContent = `${message} Reload the page to try again.`;
        return;
      }
      if (failures >= 3) text.textContent = "Connection lost, retrying…";
      schedule(Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** Math.min(failures, 4)));
    };

    async function poll() {
      let response;
      try {
        response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      } catch {
        onError("The progress could not be fetched.");
        return;
      }
      if (response.status === 404 || response.status === 403) {
        setState(box, "lost");
        text.textContent = "This job is no longer available. Reload the page.";
        return;
      }
      let job;
      try {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        job = await response.json();
      } catch {
        onError("The progress could not be read.");
        return;
      }
      failures = 0;
      const status = String(job.status || "queued");
      setState(box, status);
      const statusLabel = box.querySelector(".job-status, [data-job-status-text]");
      if (statusLabel) statusLabel.textContent = status;
      if (FINISHED.has(status)) {
        finish(box, bar, text, job);
        return; // no more polling
      }
      showProgress(bar, job);
      text.textContent = progressText(job, nounFor(job));
      schedule();
    }

    poll();
  }

  function start() {
    document.querySelectorAll(".job-progress[data-job-url]").forEach(track);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
