/* The dashboard's shared parts: its colours, number formats, DOM helpers (text and attributes
 * only: strict CSP) and the options every chart starts from. The other dashboard scripts read
 * them from window.Emolytics.dashboard, where each adds what it makes.
 */
(() => {
  "use strict";

  window.Emolytics = window.Emolytics || {};

  const EMOTION_COLOURS = {
    anger: "#d1362f",
    disgust: "#6f8a1f",
    fear: "#7b4bb0",
    joy: "#f0ad1a",
    sadness: "#2f6db5",
    surprise: "#159a94",
    neutral: "#8b93a1",
  };
  // For labels of trained models that are not among the defaults; none repeats a default hue.
  const FALLBACK_PALETTE = [
    "#e377c2", "#8c564b", "#1f3b73", "#ff7f0e", "#5f9e3a", "#b5577c",
    "#4c7f8f", "#a14a9c", "#9c8a2e", "#c2571a", "#3a8fd9", "#6b5b95",
  ];
  const INK = "#1d2330";
  const MUTED = "#5b6475";
  const GRID_LINE = "#e8ebf0";
  // Single quotes only: zrender writes this into SVG style attributes without escaping.
  const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

  const locale = document.documentElement.lang || undefined;
  const numberFormat = new Intl.NumberFormat(locale);
  const percentFormat = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const popupTimeFormat = new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    dateStyle: "medium",
    timeStyle: "short",
    hourCycle: "h23",
  });

  const formatCount = (value) => numberFormat.format(value);
  /** "1 text", "2 texts", "1,234 rows": the count with its noun in the right number. */
  const plural = (count, noun, nouns) => `${formatCount(count)} ${count === 1 ? noun : nouns || `${noun}s`}`;
  const formatShare = (fraction) => percentFormat.format(fraction);
  const displayName = (label) => {
    const text = String(label).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
  const sum = (values) => values.reduce((total, value) => total + value, 0);

  function makeColourScale(labels) {
    const colours = new Map();
    let next = 0;
    for (const label of labels) {
      const key = String(label).toLowerCase();
      if (EMOTION_COLOURS[key]) {
        colours.set(label, EMOTION_COLOURS[key]);
      } else {
        colours.set(label, FALLBACK_PALETTE[next % FALLBACK_PALETTE.length]);
        next += 1;
      }
    }
    return (label) => {
      if (!colours.has(label)) {
        colours.set(label, FALLBACK_PALETTE[next % FALLBACK_PALETTE.length]);
        next += 1;
      }
      return colours.get(label);
    };
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function swatch(colour) {
    const dot = element("span", "dash-swatch");
    dot.style.backgroundColor = colour;
    return dot;
  }

  /** A tooltip as DOM: a title, then rows of [colour, name, value]. */
  function tooltip(title, rows, footer) {
    const box = element("div", "dash-tip");
    box.append(element("div", "dash-tip-title", title));
    for (const row of rows) {
      const line = element("div", "dash-tip-row");
      if (row.colour) line.append(swatch(row.colour));
      line.append(element("span", "", row.name), element("span", "dash-tip-value", row.value));
      box.append(line);
    }
    if (footer) box.append(element("div", "dash-tip-muted", footer));
    return box;
  }

  /** Tooltip rows for the labels with a count (in reverse order, as stacks are drawn). */
  function presentRows(labels, counts, colour, value) {
    return labels
      .slice()
      .reverse()
      .map((label) => ({ label, count: Number(counts[label]) || 0 }))
      .filter((row) => row.count > 0)
      .map((row) => ({ colour: colour(row.label), name: displayName(row.label), value: value(row.count) }));
  }

  function slug(text) {
    const cleaned = String(text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80);
    return cleaned || "dataset";
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  }

  const DROPPED_ELEMENTS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IFRAME", "OBJECT", "SVG", "MATH"]);

  /** Keeps only the text and the http(s) links of a configured attribution (Leaflet uses innerHTML). */
  function safeAttribution(html) {
    if (!html) return "";
    const parsed = new DOMParser().parseFromString(html, "text/html");
    const walk = (node) => {
      let out = "";
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          out += escapeHtml(child.textContent);
        } else if (child.nodeType === Node.ELEMENT_NODE && !DROPPED_ELEMENTS.has(child.tagName)) {
          const href = child.tagName === "A" ? child.getAttribute("href") || "" : "";
          const inner = walk(child);
          out += /^https?:\/\//i.test(href)
            ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${inner}</a>`
            : inner;
        }
      }
      return out;
    };
    return walk(parsed.body);
  }

  /* ---------- chart options ---------- */

  function baseOption() {
    return {
      backgroundColor: "#ffffff",
      animationDuration: 500,
      animationDurationUpdate: 300,
      textStyle: { fontFamily: FONT, color: INK },
      tooltip: { confine: true, backgroundColor: "#ffffff", borderColor: "#dfe3ea", textStyle: { fontFamily: FONT, color: INK } },
    };
  }

  const valueAxisStyle = {
    axisLabel: { fontFamily: FONT, color: MUTED },
    splitLine: { lineStyle: { color: GRID_LINE } },
  };

  /** A value axis of shares, 0 to 100 % (a new object per chart: ECharts keeps what it gets). */
  const percentAxis = () => ({
    type: "value",
    min: 0,
    max: 100,
    interval: 25,
    ...valueAxisStyle,
    axisLabel: { fontFamily: FONT, color: MUTED, formatter: "{value}%" },
  });

  const LEGEND_ROW = 22;

  function legendOption(labels, narrow) {
    return {
      type: "plain",
      top: 0,
      left: "center",
      icon: "roundRect",
      itemWidth: 12,
      itemHeight: 12,
      itemGap: narrow ? 8 : 14,
      textStyle: { fontFamily: FONT, color: INK },
      data: labels.map(displayName),
    };
  }

  /** Where a grid can start below a wrapping legend (a generous estimate of its rows). */
  function belowLegend(labels, width) {
    const itemGap = width < 480 ? 8 : 14;
    let rows = 1;
    let used = 0;
    for (const label of labels) {
      const item = 12 + 5 + displayName(label).length * 7.5 + itemGap;
      if (used && used + item > width - 10) {
        rows += 1;
        used = 0;
      }
      used += item;
    }
    return rows * LEGEND_ROW + 14;
  }

  window.Emolytics.dashboard = {
    INK,
    MUTED,
    FONT,
    locale,
    popupTimeFormat,
    formatCount,
    plural,
    formatShare,
    displayName,
    sum,
    makeColourScale,
    element,
    swatch,
    tooltip,
    presentRows,
    slug,
    safeAttribution,
    baseOption,
    valueAxisStyle,
    percentAxis,
    LEGEND_ROW,
    legendOption,
    belowLegend,
  };
})();
