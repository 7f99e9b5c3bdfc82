/* The dashboard's other charts: the label distribution, the labels by keyword and the most
 * typical terms per label (dashboard.js mounts them).
 */
(() => {
  "use strict";

  const {
    INK, MUTED, FONT, locale, formatCount, plural, formatShare, displayName, sum, tooltip,
    presentRows, baseOption, valueAxisStyle, percentAxis, legendOption, belowLegend,
  } = window.Emolytics.dashboard;

  const TERMS_PER_EMOTION = 8;
  const weightFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const compactFormat = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });

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

  function keywordsSpec(data, colour) {
    const keywords = data.keywords.filter((row) => row && row.keyword !== undefined);
    if (!keywords.length) return null;
    const names = keywords.map((row) => String(row.keyword));
    return sharesSpec("keywords", keywords, names, data, colour, (categories) =>
      `Share of each ${data.noun} among texts mentioning ${plural(keywords.length, "keyword")}: ` +
      categories.join(", "));
  }

  // A breakdown's row names a segment, the other segments summed, or the texts without one.
  function segmentName(row) {
    if (row.segment !== null && row.segment !== undefined) return String(row.segment);
    return row.other ? `Other segments (${formatCount(row.other)})` : "No segment";
  }

  function segmentsSpec(data, colour) {
    if (!data.segments.length) return null;
    const names = data.segments.map(segmentName);
    return sharesSpec("segments", data.segments, names, data, colour, (categories) =>
      `Share of each ${data.noun} per segment: ${categories.join(", ")}`);
  }

  // Horizontal bars of each label's share among the texts of each row (a keyword, a segment).
  function sharesSpec(name, rows, names, data, colour, describe) {
    const totals = rows.map((row) => Number(row.total) || sum(Object.values(row.counts || {}).map(Number)));
    const categories = rows.map((row, index) => `${names[index]} (${formatCount(totals[index])})`);
    return {
      name,
      description: () => describe(categories),
      height: (width) => Math.max(180, rows.length * (width < 480 ? 30 : 34) + belowLegend(data.labels, width) + 40),
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
              const row = rows[index];
              const total = totals[index] || 1;
              const lines = presentRows(data.labels, row.counts || {}, colour, (count) =>
                `${formatShare(count / total)} (${formatCount(count)})`,
              );
              return tooltip(names[index], lines, plural(totals[index], "text"));
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
            data: rows.map((row, index) =>
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
        // A fixed band for the terms (measured text widths can be off by a few pixels), wide
        // enough on a desktop for "embarrassing" beside "embarrassed": the terms are the content.
        const labelWidth = Math.round(Math.min(140, Math.max(56, panelWidth * 0.45)));
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

  Object.assign(window.Emolytics.dashboard, {
    distributionSpec, keywordsSpec, segmentsSpec, termsSpec,
  });
})();
