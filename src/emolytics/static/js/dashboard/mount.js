/* Charts on the page: an ECharts instance per chart spec, laid out again when its card's width
 * changes, with SVG and PNG downloads and the counts / share toggle.
 */
(() => {
  "use strict";

  const PNG_SCALE = 2;

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

  Object.assign(window.Emolytics.dashboard, { mountChart, relayout, watchSize, wireDownloads, wireScaleToggle });
})();
