/* Emolytics dataset dashboard.
 *
 * Reads <section id="dashboard" data-summary-url data-terms-url data-text-url data-tile-url
 * data-tile-attribution>, fetches the summary JSON and draws: the label distribution, the labels
 * over time (counts, or shares with the toggle), labels by keyword, top terms per label
 * (ECharts, SVG renderer) and a Leaflet map of geotagged texts, clustered with counts, whose
 * popups fetch their text from data-text-url ("{id}" stands for the text's id) on a click.
 * With data-terms-url (a filtered view), the top terms are the view's own, fetched beside the
 * summary (they take longer: a sample of the view's texts is explained) and drawn when they come;
 * the answer then goes to the other cards in a "dashboard:terms" event (comparison.js: the words
 * that rose).
 * Labels are called "emotions" or "labels" as the summary's model.noun says. Once the grid (or
 * the empty state) shows, the summary goes to the other cards' scripts in a "dashboard:summary"
 * event (comparison.js).
 * Every chart can be downloaded as SVG (ECharts' SVG output) or PNG (that SVG drawn on a canvas).
 * The parts are in dashboard/ (base.js first; timeline.js, charts.js, map.js, mount.js), each
 * adding what it makes to window.Emolytics.dashboard; the page loads them before this script.
 *
 * Works under a strict CSP: no inline markup with style attributes, no innerHTML with data;
 * tooltips are built as DOM nodes and colours are set through the CSSOM.
 */
(() => {
  "use strict";

  const {
    formatCount, plural, makeColourScale, slug, timelineSpec, distributionSpec, keywordsSpec, segmentsSpec,
    termsSpec, mountChart, relayout, watchSize, wireDownloads, wireScaleToggle, renderMap,
  } = window.Emolytics.dashboard;

  /* ---------- summary data ---------- */

  async function fetchJson(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) throw new Error(`The dashboard data could not be loaded (HTTP ${response.status}).`);
    if (!type.includes("json")) {
      throw new Error("The dashboard data could not be loaded: your session may have ended. Reload the page.");
    }
    return response.json();
  }

  function normalise(summary) {
    const labels = Array.isArray(summary.labels) ? summary.labels.map(String) : [];
    const byLabel = new Map((summary.distribution || []).map((row) => [String(row.label), Number(row.count) || 0]));
    for (const label of byLabel.keys()) if (!labels.includes(label)) labels.push(label);
    return {
      dataset: summary.dataset || {},
      noun: summary.model?.noun === "label" ? "label" : "emotion",
      labels,
      analysed: Number(summary.analysed) || 0,
      notScored: Number(summary.not_scored) || 0,
      corrected: Number(summary.corrected) || 0,
      distribution: labels.map((label) => ({ label, count: byLabel.get(label) || 0 })),
      timeline: summary.timeline || { bucket: "day", points: [] },
      keywords: Array.isArray(summary.keywords) ? summary.keywords : [],
      segments: Array.isArray(summary.segments) ? summary.segments : [],
      terms: summary.terms || {},
      map: summary.map || { points: [], geotagged: 0, shown: 0 },
      annotations: Array.isArray(summary.annotations) ? summary.annotations : [],
    };
  }

  /* ---------- the page ---------- */

  function statusSetter(root) {
    const status = root.querySelector('[data-role="status"]');
    return (text, isError = false) => {
      status.textContent = text;
      status.classList.toggle("is-error", isError);
    };
  }

  function showPlaceholder(root, name, text) {
    const card = root.querySelector(`[data-card="${name}"]`);
    card.querySelector(`[data-chart="${name}"]`).hidden = true;
    const placeholder = card.querySelector(`[data-placeholder="${name}"]`);
    placeholder.textContent = text;
    placeholder.hidden = false;
  }

  const PLACEHOLDERS = {
    timeline: "No texts in this view carry a timestamp.",
    keywords: "No keywords in this view. Add keywords to the dataset to compare them here.",
    segments: "No text in this view has a segment.",
    terms: "No words or emoji are frequent enough to be typical of one here.",
  };

  function render(root, summary, setStatus, viewTerms) {
    const data = normalise(summary);
    const rowCount = Number(data.dataset.row_count) || 0;
    showNotScored(root, data.notScored);
    if (!data.analysed) {
      const empty = root.querySelector('[data-role="empty"]');
      if (!rowCount) {
        empty.querySelector('[data-role="empty-text"]').textContent =
          "This dataset has no texts yet. Upload some, then run an analysis.";
      }
      empty.hidden = false;
      root.dispatchEvent(new CustomEvent("dashboard:summary", { detail: summary }));
      setStatus("");
      return;
    }
    setStatus(
      `${plural(data.analysed, "analysed text")} in this view` +
        (rowCount ? ` (the dataset has ${formatCount(rowCount)})` : "") +
        (data.corrected ? `, ${formatCount(data.corrected)} of them corrected.` : "."),
    );
    root.querySelector('[data-role="grid"]').hidden = false;
    root.dispatchEvent(new CustomEvent("dashboard:summary", { detail: summary }));
    const colour = makeColourScale(data.labels);
    const baseName = slug(data.dataset.name);
    const specs = [
      distributionSpec(data, colour),
      timelineSpec(data, colour) || "timeline",
      keywordsSpec(data, colour) || "keywords",
      root.querySelector('[data-chart="segments"]') ? segmentsSpec(data, colour) || "segments" : null,
      root.dataset.termsUrl ? null : termsSpec(data, colour) || "terms",
    ];
    const mounted = [];
    for (const spec of specs.filter(Boolean)) {
      if (typeof spec === "string") {
        showPlaceholder(root, spec, PLACEHOLDERS[spec]);
        continue;
      }
      const chart = mountChart(root.querySelector(`[data-chart="${spec.name}"]`), spec);
      wireDownloads(root, chart, baseName, setStatus);
      wireScaleToggle(root, chart);
      mounted.push(chart);
    }
    const map = renderMap(root, data, colour);
    watchSize(root, () => {
      mounted.forEach(relayout);
      if (map) map.invalidateSize();
    });
    if (viewTerms) {
      drawViewTerms(root, data, colour, viewTerms, (spec) => {
        const chart = mountChart(root.querySelector('[data-chart="terms"]'), spec);
        wireDownloads(root, chart, baseName, setStatus);
        mounted.push(chart);
      });
    }
  }

  /** The view's own top terms, drawn when they come (a placeholder says so meanwhile). */
  async function drawViewTerms(root, data, colour, pending, mount) {
    const card = root.querySelector('[data-card="terms"]');
    const note = card.querySelector('[data-role="terms-sample"]');
    showPlaceholder(root, "terms", "Reading this view's texts for their top words…");
    let answer;
    try {
      answer = await pending;
    } catch (error) {
      showPlaceholder(root, "terms", error.message || "The top words could not be loaded.");
      return;
    }
    root.dispatchEvent(new CustomEvent("dashboard:terms", { detail: answer }));
    const sample = Number(answer.sample) || 0;
    const of = Number(answer.sampled_from) || 0;
    if (note && sample) {
      note.textContent =
        sample < of
          ? `From ${formatCount(sample)} of the view's ${formatCount(of)} texts, spread over it: the numbers are scaled up to the view.`
          : `From all ${formatCount(sample)} texts of the view.`;
      note.hidden = false;
    }
    const spec = termsSpec({ ...data, terms: answer.terms || {} }, colour);
    if (!spec) {
      showPlaceholder(root, "terms", PLACEHOLDERS.terms);
      return;
    }
    card.querySelector('[data-placeholder="terms"]').hidden = true;
    card.querySelector('[data-chart="terms"]').hidden = false;
    mount(spec);
  }

  /** Texts in a language the model does not read: counted apart, out of every chart. */
  function showNotScored(root, count) {
    const line = root.querySelector('[data-role="not-scored"]');
    if (!line || !count) return;
    line.textContent = `${plural(count, "text")} not scored: language (the model does not read it; see the texts table).`;
    line.hidden = false;
  }

  async function start() {
    const root = document.getElementById("dashboard");
    if (!root || root.dataset.started) return;
    root.dataset.started = "1";
    const setStatus = statusSetter(root);
    try {
      if (typeof echarts === "undefined") throw new Error("The chart library could not be loaded.");
      const viewTerms = root.dataset.termsUrl ? fetchJson(root.dataset.termsUrl) : null;
      if (viewTerms) viewTerms.catch(() => {}); // its failure is shown on its card, if drawn
      const summary = await fetchJson(root.dataset.summaryUrl);
      render(root, summary, setStatus, viewTerms);
    } catch (error) {
      setStatus(error.message || "The dashboard could not be drawn.", true);
      if (!(error instanceof Error) || !error.message) console.error(error);
    } finally {
      root.setAttribute("aria-busy", "false");
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
