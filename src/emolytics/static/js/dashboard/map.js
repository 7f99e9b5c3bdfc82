/* The dashboard's map: a Leaflet map of the view's geotagged texts, clustered with counts, whose
 * popups fetch their text on a click.
 */
(() => {
  "use strict";

  const {
    popupTimeFormat, formatCount, plural, displayName, element, swatch, safeAttribution,
  } = window.Emolytics.dashboard;

  const MAP_MAX_FIT_ZOOM = 14;

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
      placeholder.textContent = "No texts in this view have coordinates or a known place.";
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
    if (root.dataset.placesAttribution) {
      map.attributionControl.addAttribution(safeAttribution(root.dataset.placesAttribution));
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

  Object.assign(window.Emolytics.dashboard, { renderMap });
})();
