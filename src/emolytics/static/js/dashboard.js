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
 *
 * Works under a strict CSP: no inline markup with style attributes, no innerHTML with data;
 * tooltips are built as DOM nodes and colours are set through the CSSOM.
 */
(() => {
  "use strict";

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
  const BUCKET_MS = { hour: 3600e3, day: 86400e3, week: 7 * 86400e3 };
  const MAX_FILLED_BUCKETS = 2000;
  const BARS_UP_TO = 24; // timeline: stacked bars up to this many buckets, stacked areas beyond,
  const SPARSE_BARS_UP_TO = 120; // or bars up to this many when the buckets are sparse: areas
  const SPARSE_MEAN = 3; // between lone texts (under this many a bucket) draw slopes, not counts
  const TERMS_PER_EMOTION = 8;
  const ANNOTATION_CHARS = 28; // an annotation's note on the timeline, cut to this
  const PNG_SCALE = 2;
  const MAP_MAX_FIT_ZOOM = 14;

  const locale = document.documentElement.lang || undefined;
  const numberFormat = new Intl.NumberFormat(locale);
  const percentFormat = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const weightFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const popupTimeFormat = new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    dateStyle: "medium",
    timeStyle: "short",
    hourCycle: "h23",
  });
  const compactFormat = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });

  /* ---------- small helpers ---------- */

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
      terms: summary.terms || {},
      map: summary.map || { points: [], geotagged: 0, shown: 0 },
      annotations: Array.isArray(summary.annotations) ? summary.annotations : [],
    };
  }

  /** The annotations within the timeline's buckets, each at the index of the bucket it falls in. */
  function placedAnnotations(annotations, points, bucket) {
    if (!points.length) return [];
    const end = points[points.length - 1].time + (BUCKET_MS[bucket] || 0);
    return annotations
      .map((item) => ({ time: Date.parse(String(item.at)), note: String(item.note || "") }))
      .filter((item) => Number.isFinite(item.time) && item.time >= points[0].time && item.time < end)
      .map((item) => {
        let index = 0;
        while (index + 1 < points.length && points[index + 1].time <= item.time) index += 1;
        return { ...item, index };
      });
  }

  const shortNote = (note) => (note.length > ANNOTATION_CHARS ? `${note.slice(0, ANNOTATION_CHARS - 1)}…` : note);

  /** Timeline points sorted, with empty buckets added between the first and the last. */
  function fillBuckets(points, bucket) {
    const sorted = points
      // "2026-03-01 00:00:00Z" (SQLite) or "2026-03-01T00:00:00Z": both read as UTC.
      .map((point) => ({ time: Date.parse(String(point.t).replace(" ", "T")), counts: point.counts || {} }))
      .filter((point) => Number.isFinite(point.time))
      .sort((a, b) => a.time - b.time);
    const step = BUCKET_MS[bucket];
    if (!step || sorted.length < 2) return sorted;
    const span = (sorted[sorted.length - 1].time - sorted[0].time) / step;
    if (span > MAX_FILLED_BUCKETS) return sorted;
    const filled = [];
    for (const point of sorted) {
      const previous = filled[filled.length - 1];
      if (previous) {
        for (let time = previous.time + step; time < point.time - step / 2; time += step) {
          filled.push({ time, counts: {} });
        }
      }
      filled.push(point);
    }
    return filled;
  }

  function bucketFormatter(bucket, points) {
    const first = points[0]?.time ?? 0;
    const last = points[points.length - 1]?.time ?? 0;
    const manyYears = new Date(first).getUTCFullYear() !== new Date(last).getUTCFullYear();
    const dateOptions = { timeZone: "UTC", day: "numeric", month: "short", ...(manyYears ? { year: "numeric" } : {}) };
    if (bucket === "hour") {
      const format = new Intl.DateTimeFormat(locale, { ...dateOptions, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
      return { axis: (time) => format.format(time), full: (time) => `${format.format(time)} UTC` };
    }
    const format = new Intl.DateTimeFormat(locale, dateOptions);
    const full = new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium" });
    if (bucket === "week") {
      return { axis: (time) => format.format(time), full: (time) => `Week of ${full.format(time)}` };
    }
    return { axis: (time) => format.format(time), full: (time) => full.format(time) };
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

  function distributionSpec(data, colour) {
    const total = sum(data.distribution.map((row) => row.count)) || 1;
    return {
      name: "distribution",
      description: () =>
        `${displayName(data.noun)} distribution: ` +
        data.distribution
          .map((row) => `${displayName(row.label)} ${formatCount(row.count)} (${formatShare(row.count / total)})`)
          .join(", "),
      height: (width) => (width < 480 ? 280 : 320),
      layoutKey: (width) => (width < 480 ? "narrow" : "wide"),
      option: (width) => {
        const narrow = width < 480;
        return {
          ...baseOption(),
          grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
          tooltip: {
            ...baseOption().tooltip,
            trigger: "item",
            formatter: (params) => {
              const row = data.distribution[params.dataIndex];
              return tooltip(displayName(row.label), [
                { colour: colour(row.label), name: "Texts", value: formatCount(row.count) },
                { name: "Share", value: formatShare(row.count / total) },
              ]);
            },
          },
          xAxis: {
            type: "category",
            data: data.distribution.map((row) => displayName(row.label)),
            axisTick: { alignWithLabel: true },
            axisLabel: {
              fontFamily: FONT,
              color: INK,
              interval: 0,
              rotate: narrow && data.labels.length > 4 ? 40 : 0,
              hideOverlap: false,
            },
          },
          yAxis: { type: "value", minInterval: 1, ...valueAxisStyle },
          series: [
            {
              type: "bar",
              name: "Texts",
              barMaxWidth: 56,
              data: data.distribution.map((row) => ({
                value: row.count,
                itemStyle: { color: colour(row.label), borderRadius: [4, 4, 0, 0] },
              })),
              label: {
                show: !narrow || data.labels.length <= 5,
                position: "top",
                fontFamily: FONT,
                color: MUTED,
                formatter: (params) => formatShare(params.value / total),
              },
            },
          ],
        };
      },
    };
  }

  /**
   * The labels per bucket: counts (the default) or each label's share of the bucket
   * (`spec.scale`, switched by the card's toggle). Buckets without texts are zeros, not gaps, so
   * a lone bucket with texts between empty ones is still drawn.
   */
  function timelineSpec(data, colour) {
    const bucket = data.timeline.bucket || "day";
    const points = fillBuckets(data.timeline.points || [], bucket);
    if (!points.length) return null;
    const formatter = bucketFormatter(bucket, points);
    const totals = points.map((point) => sum(data.labels.map((label) => Number(point.counts[label]) || 0)));
    const sparse = sum(totals) < SPARSE_MEAN * points.length;
    const asBars = points.length <= BARS_UP_TO || (sparse && points.length <= SPARSE_BARS_UP_TO);
    const values = (label, share) =>
      points.map((point, index) => {
        const count = Number(point.counts[label]) || 0;
        if (!share) return count;
        return totals[index] ? (count / totals[index]) * 100 : 0;
      });
    const firstLabel = formatter.full(points[0].time);
    const lastLabel = formatter.full(points[points.length - 1].time);
    const marked = placedAnnotations(data.annotations, points, bucket);
    const spec = {
      name: "timeline",
      scale: "count",
      description: () =>
        `${spec.scale === "share" ? "Share" : "Number"} of texts per ${data.noun} and ${bucket}, ` +
        `${plural(points.length, bucket)} from ${firstLabel} to ${lastLabel}.` +
        (marked.length ? ` Annotations: ${marked.map((item) => `${popupTimeFormat.format(item.time)} UTC: ${item.note}`).join("; ")}.` : ""),
      height: (width) => (width < 480 ? 300 : 340) + belowLegend(data.labels, width) - LEGEND_ROW - 14,
      layoutKey: (width) => `${width < 480 ? "narrow" : "wide"}-${belowLegend(data.labels, width)}`,
      option: (width) => {
        const narrow = width < 480;
        const zoom = points.length > 60;
        const share = spec.scale === "share";
        return {
          ...baseOption(),
          legend: legendOption(data.labels, narrow),
          grid: { left: 12, right: 12, top: belowLegend(data.labels, width), bottom: zoom ? 44 : 8, containLabel: true },
          tooltip: {
            ...baseOption().tooltip,
            trigger: "axis",
            axisPointer: { type: asBars ? "shadow" : "line" },
            formatter: (params) => {
              const index = params[0]?.dataIndex ?? 0;
              const point = points[index];
              const total = totals[index];
              if (!total) return tooltip(formatter.full(point.time), [], "No texts in this period.");
              const rows = presentRows(data.labels, point.counts, colour, (count) =>
                share
                  ? `${formatShare(count / total)} (${formatCount(count)})`
                  : `${formatCount(count)} (${formatShare(count / total)})`,
              );
              return tooltip(formatter.full(point.time), rows, plural(total, "text"));
            },
          },
          xAxis: {
            type: "category",
            boundaryGap: asBars,
            data: points.map((point) => formatter.axis(point.time)),
            axisLabel: { fontFamily: FONT, color: MUTED, hideOverlap: true },
          },
          yAxis: share ? percentAxis() : { type: "value", min: 0, minInterval: 1, ...valueAxisStyle },
          dataZoom: zoom ? [{ type: "slider", height: 22, bottom: 8, brushSelect: false }] : [],
          series: data.labels.map((label, index) => ({
            name: displayName(label),
            type: asBars ? "bar" : "line",
            stack: "timeline",
            barCategoryGap: "20%",
            symbol: "none",
            lineStyle: { width: 0.5, color: colour(label) },
            areaStyle: asBars ? undefined : { opacity: 0.9, color: colour(label) },
            itemStyle: { color: colour(label) },
            emphasis: { focus: "series" },
            data: values(label, share),
            markLine: index === 0 && marked.length ? annotationLines(marked) : undefined,
          })),
        };
      },
    };
    return spec;
  }

  /** The timeline's annotations as dashed vertical lines, one per bucket, labelled with its note
   * (and how many more fall in the same bucket). */
  function annotationLines(marked) {
    const buckets = new Map();
    for (const item of marked) buckets.set(item.index, [...(buckets.get(item.index) || []), item.note]);
    return {
      silent: true,
      symbol: "none",
      animation: false,
      lineStyle: { color: INK, type: "dashed", width: 1 },
      label: { show: true, position: "insideEndTop", fontFamily: FONT, color: INK, fontSize: 11 },
      data: [...buckets].map(([index, notes]) => ({
        xAxis: index,
        name: notes.join("; "),
        label: { formatter: shortNote(notes[0]) + (notes.length > 1 ? ` +${notes.length - 1}` : "") },
      })),
    };
  }

  function keywordsSpec(data, colour) {
    const keywords = data.keywords.filter((row) => row && row.keyword !== undefined);
    if (!keywords.length) return null;
    const totals = keywords.map((row) => Number(row.total) || sum(Object.values(row.counts || {}).map(Number)));
    const categories = keywords.map((row, index) => `${row.keyword} (${formatCount(totals[index])})`);
    return {
      name: "keywords",
      description: () =>
        `Share of each ${data.noun} among texts mentioning ${plural(keywords.length, "keyword")}: ` +
        keywords.map((row, index) => categories[index]).join(", "),
      height: (width) => Math.max(180, keywords.length * (width < 480 ? 30 : 34) + belowLegend(data.labels, width) + 40),
      layoutKey: (width) => `${width < 480 ? "narrow" : "wide"}-${belowLegend(data.labels, width)}`,
      option: (width) => {
        const narrow = width < 480;
        return {
          ...baseOption(),
          legend: legendOption(data.labels, narrow),
          grid: { left: 16, right: 16, top: belowLegend(data.labels, width), bottom: 8, containLabel: true },
          tooltip: {
            ...baseOption().tooltip,
            trigger: "axis",
            axisPointer: { type: "shadow" },
            formatter: (params) => {
              const index = params[0]?.dataIndex ?? 0;
              const row = keywords[index];
              const total = totals[index] || 1;
              const rows = presentRows(data.labels, row.counts || {}, colour, (count) =>
                `${formatShare(count / total)} (${formatCount(count)})`,
              );
              return tooltip(String(row.keyword), rows, plural(totals[index], "text"));
            },
          },
          xAxis: percentAxis(),
          yAxis: {
            type: "category",
            inverse: true,
            data: categories,
            axisTick: { show: false },
            axisLabel: { fontFamily: FONT, color: INK, width: narrow ? 110 : 200, overflow: "truncate" },
          },
          series: data.labels.map((label) => ({
            name: displayName(label),
            type: "bar",
            stack: "share",
            barWidth: "62%",
            itemStyle: { color: colour(label) },
            emphasis: { focus: "series" },
            label: {
              show: !narrow,
              fontFamily: FONT,
              color: "#ffffff",
              fontSize: 11,
              formatter: (params) => (params.value >= 9 ? `${Math.round(params.value)}%` : ""),
            },
            data: keywords.map((row, index) =>
              totals[index] ? ((Number(row.counts?.[label]) || 0) / totals[index]) * 100 : 0,
            ),
          })),
        };
      },
    };
  }

  function termsSpec(data, colour) {
    const panels = data.labels
      .map((label) => ({
        label,
        terms: (Array.isArray(data.terms[label]) ? data.terms[label] : [])
          .slice(0, TERMS_PER_EMOTION)
          .map((row) => ({
            term: String(row.term),
            lift: Number(row.lift) || 0,
            weight: Number(row.weight) || 0,
            texts: Number(row.texts) || 0,
          })),
      }))
      .filter((panel) => panel.terms.length);
    if (!panels.length) return null;
    const columnsFor = (width) => Math.max(1, Math.min(4, panels.length, Math.floor(width / 165)));
    const rowHeight = 22;
    const titleHeight = 28;
    const longest = Math.max(...panels.map((panel) => panel.terms.length));
    const panelHeight = titleHeight + longest * rowHeight;
    const gap = 20;
    return {
      name: "terms",
      updateOnResize: true, // pixel layout: recomputed for every width
      description: () =>
        `Most typical terms per ${data.noun}: ` +
        panels.map((panel) => `${displayName(panel.label)}: ${panel.terms.map((t) => t.term).join(", ")}`).join("; "),
      height: (width) => {
        const rows = Math.ceil(panels.length / columnsFor(width));
        return rows * panelHeight + (rows - 1) * gap + 4;
      },
      layoutKey: (width) => `columns-${columnsFor(width)}`,
      option: (width) => {
        const columns = columnsFor(width);
        const panelWidth = (width - gap * (columns - 1)) / columns;
        // A fixed band for the terms (measured text widths can be off by a few pixels).
        const labelWidth = Math.round(Math.min(120, Math.max(56, panelWidth * 0.36)));
        const valueWidth = 44; // "in 12.3K" at most: counts are shown compactly
        const place = (index) => ({
          left: (index % columns) * (panelWidth + gap),
          top: Math.floor(index / columns) * (panelHeight + gap),
        });
        return {
          ...baseOption(),
          title: panels.map((panel, index) => ({
            text: displayName(panel.label),
            left: place(index).left,
            top: place(index).top,
            padding: [2, 0],
            textStyle: { fontFamily: FONT, fontSize: 14, fontWeight: 600, color: INK },
          })),
          grid: panels.map((panel, index) => ({
            left: place(index).left + labelWidth,
            top: place(index).top + titleHeight,
            width: Math.max(20, panelWidth - labelWidth - valueWidth),
            height: panel.terms.length * rowHeight,
          })),
          tooltip: {
            ...baseOption().tooltip,
            trigger: "item",
            formatter: (params) => {
              const panel = panels[params.seriesIndex];
              const row = panel.terms[params.dataIndex];
              return tooltip(row.term, [
                {
                  colour: colour(panel.label),
                  name: displayName(panel.label),
                  value: `×${weightFormat.format(row.lift)} as often as in all texts; in ${plural(row.texts, "text")}, weight ${weightFormat.format(row.weight)}`,
                },
              ]);
            },
          },
          xAxis: panels.map((panel, index) => ({ type: "value", gridIndex: index, show: false, min: 0 })),
          yAxis: panels.map((panel, index) => ({
            type: "category",
            gridIndex: index,
            inverse: true,
            data: panel.terms.map((row) => row.term),
            axisTick: { show: false },
            axisLine: { show: false },
            axisLabel: { fontFamily: FONT, color: INK, width: labelWidth - 8, overflow: "truncate", interval: 0, margin: 8 },
          })),
          series: panels.map((panel, index) => ({
            type: "bar",
            name: displayName(panel.label),
            xAxisIndex: index,
            yAxisIndex: index,
            barWidth: 14,
            itemStyle: { color: colour(panel.label), borderRadius: [0, 3, 3, 0] },
            label: {
              show: true,
              position: "right",
              fontFamily: FONT,
              color: MUTED,
              fontSize: 11,
              formatter: (params) => compactFormat.format(panel.terms[params.dataIndex].texts),
            },
            data: panel.terms.map((row) => row.lift),
          })),
        };
      },
    };
  }

  /* ---------- downloads ---------- */

  function svgMarkup(chart) {
    const url = chart.getDataURL({ type: "svg" }); // stops running animations first
    const comma = url.indexOf(",");
    const body = url.slice(comma + 1);
    return url.slice(0, comma).endsWith(";base64") ? atob(body) : decodeURIComponent(body);
  }

  function loadImage(source) {
    return new Promise((resolve, reject) => {
      const image = new Image();
      image.addEventListener("load", () => resolve(image), { once: true });
      image.addEventListener("error", () => reject(new Error("The chart could not be drawn as an image.")), {
        once: true,
      });
      image.src = source;
    });
  }

  async function svgToPng(svg, width, height) {
    // CSP allows data: images (not blob:), so the SVG goes in as a data URL.
    const image = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * PNG_SCALE);
    canvas.height = Math.round(height * PNG_SCALE);
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("The PNG could not be made."))), "image/png");
    });
  }

  function saveBlob(blob, filename) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }

  async function download(mounted, format, baseName) {
    const svg = svgMarkup(mounted.chart);
    const filename = `${baseName}-${mounted.spec.name}.${format}`;
    if (format === "svg") {
      saveBlob(new Blob([svg], { type: "image/svg+xml" }), filename);
      return;
    }
    saveBlob(await svgToPng(svg, mounted.chart.getWidth(), mounted.chart.getHeight()), filename);
  }

  function wireDownloads(root, mounted, baseName, setStatus) {
    const buttons = root.querySelectorAll(`[data-download][data-chart-name="${mounted.spec.name}"]`);
    for (const button of buttons) {
      button.disabled = false;
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await download(mounted, button.dataset.download, baseName);
        } catch (error) {
          setStatus(error.message || "The download failed.", true);
        } finally {
          button.disabled = false;
        }
      });
    }
  }

  /** The counts / share buttons of a chart whose spec has a `scale`. */
  function wireScaleToggle(root, mounted) {
    if (!mounted.spec.scale) return;
    const buttons = root.querySelectorAll(`[data-card="${mounted.spec.name}"] [data-scale]`);
    const choose = (scale) => {
      mounted.spec.scale = scale;
      for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.scale === scale));
      mounted.container.setAttribute("aria-label", mounted.spec.description());
      // Not merged: the value axis changes its kind of bounds (none, or 0 to 100 %).
      mounted.chart.setOption(mounted.spec.option(mounted.width), { notMerge: true });
    };
    for (const button of buttons) {
      button.disabled = false;
      button.addEventListener("click", () => choose(button.dataset.scale));
    }
  }

  /* ---------- mounting and resizing ---------- */

  function mountChart(container, spec) {
    const width = container.clientWidth || 600;
    container.style.height = `${spec.height(width)}px`;
    container.setAttribute("aria-label", spec.description());
    const chart = echarts.init(container, null, { renderer: "svg", locale: "EN" });
    chart.setOption(spec.option(width));
    return { chart, spec, container, width, key: spec.layoutKey(width) };
  }

  function relayout(mounted) {
    const width = mounted.container.clientWidth;
    if (!width || width === mounted.width) return;
    mounted.width = width;
    const height = `${mounted.spec.height(width)}px`;
    if (mounted.container.style.height !== height) mounted.container.style.height = height;
    const key = mounted.spec.layoutKey(width);
    mounted.chart.resize();
    if (key !== mounted.key || mounted.spec.updateOnResize) {
      mounted.key = key;
      // Same series, new layout: merging keeps the update smooth instead of replaying the entry.
      mounted.chart.setOption(mounted.spec.option(width));
    }
  }

  function watchSize(target, onResize) {
    let frame = 0;
    const schedule = () => {
      if (frame) return;
      // A frame later, so resizing the charts never re-enters the ResizeObserver callback.
      frame = requestAnimationFrame(() => {
        frame = 0;
        onResize();
      });
    };
    window.addEventListener("resize", schedule);
    if ("ResizeObserver" in window) new ResizeObserver(schedule).observe(target);
  }

  /* ---------- the map ---------- */

  /** A popup's content: the text fetched from `url`, its label and time, and a link to it. */
  async function fillPopup(popup, url, colour) {
    let text;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok || !(response.headers.get("Content-Type") || "").includes("json")) {
        throw new Error(`HTTP ${response.status}`);
      }
      text = await response.json();
    } catch {
      popup.setContent(element("p", "dash-popup", "The text could not be loaded."));
      return;
    }
    popup.setContent(popupContent(text, colour));
  }

  function popupContent(text, colour) {
    const box = element("div", "dash-popup");
    box.append(element("p", "dash-popup-text", String(text.text ?? "")));
    const label = String(text.label ?? "");
    const time = Date.parse(String(text.posted_at ?? ""));
    const meta = element("p", "dash-popup-meta");
    meta.append(
      swatch(colour(label)),
      document.createTextNode(
        `${displayName(label)} · ${Number.isFinite(time) ? `${popupTimeFormat.format(time)} UTC` : "no time"}`,
      ),
    );
    box.append(meta);
    const href = String(text.url || "");
    if (href.startsWith("/") && !href.startsWith("//")) {
      const link = element("a", "", "Open the text");
      link.href = href;
      box.append(link);
    }
    return box;
  }

  function renderMap(root, data, colour) {
    const card = root.querySelector('[data-card="map"]');
    const container = card.querySelector('[data-role="map"]');
    const placeholder = card.querySelector('[data-placeholder="map"]');
    const legend = card.querySelector('[data-role="map-legend"]');
    const note = card.querySelector('[data-role="map-note"]');
    const points = (data.map.points || []).filter(
      (point) => Array.isArray(point) && Number.isFinite(Number(point[0])) && Number.isFinite(Number(point[1])),
    );
    if (!points.length) {
      container.hidden = true;
      placeholder.textContent = "No texts in this view carry coordinates.";
      placeholder.hidden = false;
      return null;
    }
    if (typeof L === "undefined" || typeof L.markerClusterGroup !== "function") {
      container.hidden = true;
      placeholder.textContent = "The map could not be loaded.";
      placeholder.hidden = false;
      return null;
    }
    const map = L.map(container, { scrollWheelZoom: false, worldCopyJump: true, zoomSnap: 0.5 });
    const tileUrl = root.dataset.tileUrl;
    const messages = [];
    const geotagged = Number(data.map.geotagged) || points.length;
    const shown = Number(data.map.shown) || points.length;
    messages.push(
      shown < geotagged
        ? `Showing the newest ${formatCount(shown)} of ${formatCount(geotagged)} geotagged texts.`
        : `${plural(geotagged, "geotagged text")}.`,
    );
    const showNote = () => {
      note.textContent = messages.join(" ");
      note.hidden = false;
    };
    if (tileUrl) {
      const tiles = L.tileLayer(tileUrl, { maxZoom: 19, attribution: safeAttribution(root.dataset.tileAttribution) });
      tiles.once("tileerror", () => {
        messages.push("The background map could not be loaded; the markers are still in place.");
        showNote();
      });
      tiles.addTo(map);
    }
    // Nearby markers merge into a bubble with their count; texts at one place (coordinates are
    // often a city's) spread out when their bubble is clicked at the closest zoom.
    const markers = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    const textUrl = root.dataset.textUrl || "";
    const seen = new Set();
    const layers = points.map(([lat, lng, label, id]) => {
      const name = String(label);
      seen.add(name);
      const marker = L.circleMarker([Number(lat), Number(lng)], {
        radius: 7,
        color: "#ffffff",
        weight: 1,
        fillColor: colour(name),
        fillOpacity: 0.85,
      }).bindTooltip(element("span", "", displayName(name)));
      if (textUrl && Number.isInteger(Number(id))) {
        const url = textUrl.replace("{id}", String(Number(id)));
        marker.bindPopup(() => element("p", "dash-popup", "Loading the text…"), { maxWidth: 280 });
        marker.on("popupopen", (event) => fillPopup(event.popup, url, colour));
      }
      return marker;
    });
    markers.addLayers(layers);
    markers.addTo(map);
    // Room around the markers, and no closer than streets: a single place is not a blank tile.
    map.fitBounds(markers.getBounds(), { padding: [28, 28], maxZoom: MAP_MAX_FIT_ZOOM });
    const present = data.labels.filter((label) => seen.has(label));
    for (const label of seen) if (!present.includes(label)) present.push(label);
    legend.replaceChildren(
      ...present.map((label) => {
        const item = element("li");
        item.append(swatch(colour(label)), document.createTextNode(displayName(label)));
        return item;
      }),
    );
    legend.hidden = false;
    showNote();
    return map;
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
      termsSpec(data, colour) || "terms",
    ];
    const mounted = [];
    for (const spec of specs) {
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
