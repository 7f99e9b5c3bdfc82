/* Emolytics dataset dashboard.
 *
 * Reads <section id="dashboard" data-summary-url data-text-url data-tile-url
 * data-tile-attribution>, fetches the summary JSON and draws: the label distribution, the labels
 * over time (counts, or shares with the toggle), labels by keyword, top terms per label
 * (ECharts, SVG renderer) and a Leaflet map of geotagged texts, clustered with counts, whose
 * popups fetch their text from data-text-url ("{id}" stands for the text's id) on a click.
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

  async function fetchSummary(url) {
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

  function render(root, summary, setStatus) {
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
      termsSpec(data, colour) || "terms",
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
      const summary = await fetchSummary(root.dataset.summaryUrl);
      render(root, summary, setStatus);
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
