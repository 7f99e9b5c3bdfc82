/* The dashboard's timeline: the labels per bucket of time, as counts or shares, with the
 * dataset's annotations as dashed lines (dashboard.js mounts it).
 */
(() => {
  "use strict";

  const {
    INK, MUTED, FONT, locale, popupTimeFormat, formatCount, plural, formatShare, displayName, sum,
    tooltip, presentRows, baseOption, valueAxisStyle, percentAxis, LEGEND_ROW, legendOption,
    belowLegend,
  } = window.Emolytics.dashboard;

  const BUCKET_MS = { hour: 3600e3, day: 86400e3, week: 7 * 86400e3 };
  const MAX_FILLED_BUCKETS = 2000;
  const BARS_UP_TO = 24; // timeline: stacked bars up to this many buckets, stacked areas beyond,
  const SPARSE_BARS_UP_TO = 120; // or bars up to this many when the buckets are sparse: areas
  const SPARSE_MEAN = 3; // between lone texts (under this many a bucket) draw slopes, not counts
  const ANNOTATION_CHARS = 28; // an annotation's note on the timeline, cut to this

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

  Object.assign(window.Emolytics.dashboard, { timelineSpec });
})();
