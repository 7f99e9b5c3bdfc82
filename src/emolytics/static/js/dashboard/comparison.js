/* Emolytics dashboard: the view compared with the period before it.
 *
 * dashboard.js fetches the summary and hands it over in a "dashboard:summary" event on
 * <section id="dashboard">; this fills the [data-card="comparison"] card from its `comparison`:
 * each label's share now and before, the change in percentage points, and whether it is beyond
 * chance. Without dates in the view it offers the latest 7 and 30 days of the texts instead (or
 * says that no text carries a timestamp); a view without texts links to the period before when
 * that has some. Every link keeps the page's other filters. When the view's own terms come (a
 * "dashboard:terms" event, after the summary's), the words that rose since the period before
 * follow the table, each a link to the view's texts that have it. Text and attributes only
 * (strict CSP). Loaded after base.js, whose helpers it shares, and before dashboard.js.
 */
(() => {
  "use strict";

  const { locale, formatCount, plural, formatShare, displayName, element } = window.Emolytics.dashboard;

  const points = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const changes = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0, signDisplay: "exceptZero" });
  const times = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const days = new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium" });
  const hours = new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium", timeStyle: "short", hourCycle: "h23" });
  const DAY_MS = 86400e3;
  const LATEST = [7, 30];

  /** A bound as the filters spell it ("2026-03-01", or "2026-03-01T08:00" for an hour). */
  function bound(text, ending) {
    if (text.length === 10) return days.format(new Date(`${text}T00:00:00Z`));
    const hour = new Date(`${text}:00Z`);
    return hours.format(ending ? new Date(hour.getTime() + 3599e3) : hour);
  }

  const period = (start, end) => (start === end ? bound(start) : `${bound(start)} – ${bound(end, true)}`);

  /** The page with these dates, its other filters kept (and back to the first page). */
  function withDates(start, end) {
    const url = new URL(window.location.href);
    url.searchParams.set("start", start);
    url.searchParams.set("end", end);
    url.searchParams.delete("page");
    return `${url.pathname}${url.search}`;
  }

  function link(text, href) {
    const anchor = element("a", "", text);
    anchor.href = href;
    return anchor;
  }

  function offerDates(body, span) {
    const last = span && span.last ? new Date(span.last) : null;
    if (!last || Number.isNaN(last.getTime())) {
      body.append(element("p", "dash-sub", "No texts in this view carry a timestamp: there is no period before to compare with."));
      return;
    }
    body.append(element("p", "dash-sub", "Choose dates above to compare this view with the same length of time just before it."));
    const end = last.toISOString().slice(0, 10);
    const offers = element("p", "dash-compare-offers", "Or compare: ");
    LATEST.forEach((length, index) => {
      const start = new Date(Date.parse(`${end}T00:00:00Z`) - (length - 1) * DAY_MS).toISOString().slice(0, 10);
      if (index) offers.append(" · ");
      offers.append(link(`the latest ${length} days`, withDates(start, end)));
    });
    offers.append(" (to the last text's day)");
    body.append(offers);
  }

  /** A table row: its first cell names the row (a column's name in the header). */
  function row(cells, header) {
    const line = element("tr");
    cells.forEach((cell, index) => {
      const node = element(header || index === 0 ? "th" : "td", "", cell);
      if (header || index === 0) node.scope = header ? "col" : "row";
      line.append(node);
    });
    return line;
  }

  function changeCell(change) {
    const cell = element("td", "dash-change");
    if (change.change === null || change.change === undefined) {
      cell.textContent = "–";
      return cell;
    }
    const value = Number(change.change) * 100;
    const arrow = value > 0 ? "▲ " : value < 0 ? "▼ " : "";
    cell.append(`${arrow}${points.format(value)} pts`);
    if (change.significant) {
      cell.classList.add("is-significant");
      cell.append(" ", element("strong", "", "significant"));
    }
    return cell;
  }

  function table(comparison, noun) {
    const grid = element("table", "dash-compare");
    const head = element("thead");
    head.append(row([displayName(noun), "Now", "Before", "Change"], true));
    const body = element("tbody");
    const share = (count, total) => (total ? `${formatShare(count / total)} (${formatCount(count)})` : "–");
    for (const change of comparison.labels) {
      const line = row([
        displayName(change.label),
        share(change.count, comparison.analysed),
        share(change.previous_count, comparison.previous_analysed),
      ]);
      line.append(changeCell(change));
      body.append(line);
    }
    grid.append(head, body);
    return grid;
  }

  function compare(body, comparison, noun) {
    const now = comparison.analysed;
    const before = comparison.previous_analysed;
    const volume = element("p", "dash-compare-volume");
    volume.append(
      element("strong", "", period(comparison.start, comparison.end)),
      `: ${plural(now, "text")}, against ${plural(before, "text")} in `,
      link(period(comparison.previous_start, comparison.previous_end), withDates(comparison.previous_start, comparison.previous_end)),
      before ? ` (${changes.format((now - before) / before)}).` : ".",
    );
    body.append(volume);
    if (!now || !before) {
      body.append(element("p", "dash-sub", `A period without texts has no ${noun}s to compare.`));
      return;
    }
    body.append(
      table(comparison, noun),
      element(
        "p",
        "dash-compare-note",
        `Now and before: each ${noun}'s share of its period's texts (its texts). Change: in percentage ` +
          `points; significant: beyond chance (a two-proportion z-test at 5 %, corrected for the ` +
          `${plural(comparison.labels.length, noun)}).`,
      ),
    );
  }

  /** A view without texts: the period before, when it has some, is a click away. */
  function pointBack(root, comparison) {
    const empty = root.querySelector('[data-role="empty"]');
    if (!empty || !comparison || !comparison.previous_analysed) return;
    const line = element("p", "dash-compare-volume", "The period before, ");
    line.append(
      link(period(comparison.previous_start, comparison.previous_end), withDates(comparison.previous_start, comparison.previous_end)),
      `, has ${plural(comparison.previous_analysed, "text")}.`,
    );
    empty.append(line);
  }

  function fill(root, summary) {
    if (!Number(summary.analysed)) {
      pointBack(root, summary.comparison);
      return;
    }
    const card = root.querySelector('[data-card="comparison"]');
    if (!card) return;
    const body = card.querySelector('[data-role="comparison"]');
    const noun = summary.model && summary.model.noun === "label" ? "label" : "emotion";
    body.replaceChildren();
    body.dataset.noun = noun;
    if (summary.comparison) compare(body, summary.comparison, noun);
    else offerDates(body, summary.span);
  }

  /** A search that finds the word as written (quoted where a search would read it otherwise:
   * see search_syntax.quoted). */
  function searchFor(word) {
    const plain = !/\s/.test(word) && !word.startsWith('"') && !/^-[\p{L}\p{N}"]/u.test(word);
    return plain && !["OR", "AND"].includes(word) ? word : `"${word.replaceAll('"', " ")}"`;
  }

  /** The view's texts that have the word: the texts table with the page's filters, its search
   * (as the server read it) and the word. */
  function textsWith(root, word) {
    const url = new URL(window.location.href);
    const searched = root.dataset.search;
    url.searchParams.set("q", searched ? `${searched} ${searchFor(word)}` : searchFor(word));
    url.searchParams.delete("page");
    return `${url.pathname.replace(/\/$/, "")}/texts${url.search}`;
  }

  /** The words that rose, after the comparison's table (only a view with a period before). */
  function rise(root, answer) {
    const body = root.querySelector('[data-card="comparison"] [data-role="comparison"]');
    if (!body || !body.querySelector("table") || !Array.isArray(answer.rising)) return;
    const section = element("div", "dash-rising");
    section.append(element("h3", "", "Words that rose"));
    if (!answer.rising.length) {
      section.append(element("p", "dash-sub", "No word is in a much larger share of the texts than in the period before."));
    } else {
      const list = element("ol", "dash-rising-list");
      for (const word of answer.rising) {
        const item = element("li");
        const grew = word.ratio === null || word.ratio === undefined ? "new" : `${times.format(Number(word.ratio))}×`;
        item.append(
          link(String(word.term), textsWith(root, String(word.term))),
          ` ${grew}: ${plural(Number(word.texts) || 0, "text")}, before ${formatCount(Number(word.previous_texts) || 0)}`,
        );
        list.append(item);
      }
      section.append(list);
    }
    section.append(
      element(
        "p",
        "dash-compare-note",
        `Words in at least 1.5 times the share of this period's texts (every ${body.dataset.noun || "emotion"}) ` +
          "than of the period before's, beyond chance (an exact one-sided test at 5 %, corrected for every word " +
          "compared); from samples of both periods' texts, their counts scaled up. Tracked keywords and numbers are left out.",
      ),
    );
    body.append(section);
  }

  const root = document.getElementById("dashboard");
  if (root) {
    root.addEventListener("dashboard:summary", (event) => fill(root, event.detail));
    root.addEventListener("dashboard:terms", (event) => rise(root, event.detail));
  }
})();
