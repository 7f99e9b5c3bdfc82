// Upload page: preview the first rows of the chosen file, mark the rows the import would refuse,
// preselect the columns, and send the form itself, so that a refusal shows the server's messages
// while the chosen file, the preview and the column mapping stay on the page.
"use strict";
(() => {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const fileInput = form.querySelector('input[type="file"]');
  const panel = document.getElementById("preview");
  const note = document.getElementById("preview-note");
  const table = document.getElementById("preview-table");
  const columnSet = document.getElementById("columns");
  const formError = document.getElementById("form-error");
  const submitButton = form.querySelector('button[type="submit"]');
  const roles = {
    text: "text_column", posted_at: "time_column", author: "author_column",
    lat: "lat_column", lon: "lon_column", segment: "segment_column", place: "place_column",
    country: "country_column",
  };
  const HEAD_BYTES = 64 * 1024;
  const CHOOSE_TEXT = "Choose the column that holds the texts.";
  let latestPreview = 0; // answers to older previews are dropped

  function cell(tag, text) {
    const element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  function plural(count, one, many) {
    return `${count.toLocaleString()} ${count === 1 ? one : many}`;
  }

  // The rows read and the rows that cannot be read, in file order; a bad row is marked and
  // says why in the last column.
  // A problem names the shown row it is about, or none for a record that cannot be read at all
  // (listed on its own) or the whole file (line 0). Rows are known by their lines, or by what
  // `found.numbered` says (a sheet's row, a JSON array's record).
  function showTable(found) {
    table.replaceChildren();
    const rowProblems = found.problems.filter((p) => p.line > 0);
    const reasons = new Map(rowProblems.filter((p) => p.row !== null).map((p) => [p.row, p.reason]));
    const head = document.createElement("tr");
    found.columns.forEach((name) => head.appendChild(cell("th", name)));
    if (rowProblems.length) head.appendChild(cell("th", "Problem"));
    table.appendChild(head);
    const entries = found.rows.map((row, index) => ({ line: found.lines[index], row, reason: reasons.get(index) }));
    rowProblems.filter((p) => p.row === null).forEach((p) => {
      entries.push({ line: p.line, row: null, reason: p.reason });
    });
    entries.sort((a, b) => a.line - b.line).forEach(({ line, row, reason }) => {
      const tr = document.createElement("tr");
      if (row) {
        found.columns.forEach((name) => tr.appendChild(cell("td", row[name] ?? "")));
      } else {
        const unread = cell("td", "(this row cannot be read)");
        unread.colSpan = Math.max(found.columns.length, 1);
        tr.appendChild(unread);
      }
      if (reason !== undefined) {
        tr.className = "bad-row";
        const problem = cell("td", `${found.numbered} ${line}: ${reason}`);
        problem.className = "problem";
        tr.appendChild(problem);
      } else if (rowProblems.length) {
        tr.appendChild(cell("td", ""));
      }
      table.appendChild(tr);
    });
  }

  function describe(found) {
    const whole = found.problems.filter((p) => p.line === 0).map((p) => p.reason);
    const bad = found.problems.length - whole.length;
    const parts = [found.format === "xlsx" ? sheetRead(found) :
      `${found.format.toUpperCase()}, ${found.encoding_name}.`];
    if (found.array) parts.push(`The rows are the items of "${found.array}".`);
    const starts = [...found.lines, ...found.problems.map((p) => p.line).filter((line) => line > 0)];
    const first = starts.length ? Math.min(...starts) : 0; // a row the import would refuse too
    if (["csv", "xlsx"].includes(found.format) && first > 2) {
      parts.push(`The first row is on ${found.numbered} ${first}: the ${found.numbered}s above it (the header, and a title or a survey's questions) are not texts.`);
    }
    if (found.dates) parts.push(`Dates are read ${found.dates}, as the file writes them.`);
    if (found.unplaced.length) {
      const names = found.unplaced.slice(0, 5).map((name) => `“${name}”`).join(", ");
      parts.push(`Not found for the map: ${names}${found.unplaced.length > 5 ? "…" : ""} (their texts are kept).`);
    }
    parts.push(...whole);
    if (bad) {
      parts.push(`${plural(bad, "row", "rows")} among the first cannot be read (marked below):` +
        ' fix the file, or tick "Skip rows that cannot be read".');
    } else {
      parts.push("Check the columns below.");
    }
    note.textContent = parts.join(" ");
  }

  // "An Excel workbook: sheet "Responses" (2 of 3)."
  function sheetRead(found) {
    const kind = found.kind.charAt(0).toUpperCase() + found.kind.slice(1);
    const count = found.sheets.length;
    const which = count > 1 ? ` (${found.sheets.indexOf(found.sheet) + 1} of ${count})` : "";
    return `${kind}: sheet "${found.sheet}"${which}.`;
  }

  // Choosing another sheet of a workbook reads it as a new file.
  function offerSheets(found) {
    window.Emolytics.offerSheets(form, found, () => { refresh(true); });
  }

  // Column fields become selects of the file's columns; a column already chosen stays chosen
  // when the new file has it, else the guess from the column names is taken.
  function offerColumns(columns, guesses) {
    Object.entries(roles).forEach(([role, fieldName]) => {
      const input = form.elements[fieldName];
      if (!input) return;
      const chosen = input.value;
      const select = document.createElement("select");
      select.name = fieldName;
      select.id = input.id;
      select.setAttribute("aria-invalid", input.getAttribute("aria-invalid") || "false");
      select.appendChild(new Option(role === "text" ? "choose…" : "none", ""));
      columns.forEach((name) => select.appendChild(new Option(name, name)));
      select.value = columns.includes(chosen) ? chosen : guesses[role] || "";
      select.addEventListener("change", () => { refresh(false); });
      input.replaceWith(select);
    });
  }

  function mapping() {
    return Object.fromEntries(Object.values(roles).map((name) => [name, form.elements[name].value]));
  }

  // Plain text has no columns: the whole line is the text.
  function useColumns(used) {
    columnSet.hidden = !used;
    columnSet.disabled = !used;
  }

  async function preview(chosen) {
    const body = new FormData();
    const file = fileInput.files[0];
    // A workbook is a ZIP archive, read from its end: it is sent whole.
    const workbook = /\.(xlsx|xlsm|xls|ods)$/i.test(file.name);
    body.append("file", workbook ? file : file.slice(0, HEAD_BYTES), file.name);
    Object.entries(chosen).forEach(([name, value]) => { if (value) body.append(name, value); });
    const sheet = form.elements.sheet;
    if (!sheet.disabled && sheet.value) body.append("sheet", sheet.value);
    const response = await fetch(form.dataset.previewUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": form.elements.csrf_token.value },
      credentials: "same-origin",
    });
    return { ok: response.ok, found: await response.json() };
  }

  // A new file is previewed with the guessed columns, then again with the columns kept from
  // before if they differ; a changed column marks the rows anew.
  async function refresh(newFile) {
    if (!fileInput.files[0]) return;
    const ticket = ++latestPreview;
    let { ok, found } = await preview(newFile ? {} : mapping());
    if (ticket !== latestPreview) return;
    panel.hidden = false;
    if (!ok) {
      note.textContent = found.error;
      table.replaceChildren();
      return;
    }
    useColumns(found.format !== "txt");
    if (newFile) offerSheets(found);
    if (newFile && found.format !== "txt") {
      offerColumns(found.columns, found.guesses);
      const guessed = Object.entries(roles).every(
        ([role, name]) => form.elements[name].value === (found.guesses[role] || ""));
      if (!guessed) ({ ok, found } = await preview(mapping()));
      if (ticket !== latestPreview || !ok) return;
    }
    describe(found);
    showTable(found);
  }

  // --- sending ---------------------------------------------------------------------------------

  function clearErrors() {
    form.querySelectorAll(".field .error").forEach((element) => element.remove());
    form.querySelectorAll(".has-error").forEach((element) => element.classList.remove("has-error"));
    form.querySelectorAll('[aria-invalid="true"]').forEach((element) => {
      element.setAttribute("aria-invalid", "false");
      element.removeAttribute("aria-describedby");
    });
    formError.hidden = true;
  }

  // The message under the field, read out with it (aria-describedby names every message).
  function fieldError(control, message) {
    const wrapper = control.closest(".field");
    wrapper.classList.add("has-error");
    control.setAttribute("aria-invalid", "true");
    const error = wrapper.appendChild(cell("p", message));
    error.className = "error";
    const errors = [...wrapper.querySelectorAll(".error")];
    errors.forEach((element, index) => { element.id = `${control.id}-error-${index + 1}`; });
    control.setAttribute("aria-describedby", errors.map((element) => element.id).join(" "));
  }

  function showFormError(message) {
    formError.textContent = message;
    formError.hidden = false;
  }

  // Each message under its field; those of no visible field (an expired form) above the button.
  function showErrors(errors) {
    const loose = [];
    let first = null;
    Object.entries(errors).forEach(([name, messages]) => {
      const control = form.elements[name];
      if (control && control.closest && control.closest(".field") && !control.disabled) {
        messages.forEach((message) => fieldError(control, message));
        first = first || control;
      } else {
        loose.push(...messages);
      }
    });
    showFormError(["Nothing was uploaded.", ...loose].join(" ") +
      (first ? " See the message above; the file, the preview and the columns are kept." : ""));
    if (first) first.scrollIntoView({ block: "center" });
  }

  // An error page (a file too large, too many requests): its message, else the status.
  async function messageOf(response) {
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const message = page.querySelector("main .card p:not(.status)");
    return message ? message.textContent : `The upload failed (${response.status}).`;
  }

  async function send() {
    const response = await fetch(window.location.href, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
    if (!isJson) {
      showFormError(await messageOf(response));
      return;
    }
    const answer = await response.json();
    if (response.ok && answer.location) {
      window.location.assign(answer.location);
    } else {
      showErrors(answer.errors || {});
    }
  }

  offerSheets(null); // until a workbook shows its sheets
  function fileChosen() {
    // A dataset left unnamed takes its file's name: the field shows which.
    const file = fileInput.files[0];
    form.elements.name.placeholder = file ? file.name.replace(/\.[^.]+$/, "").trim() : "";
    offerSheets(null); // a new file's own sheets are offered once it is previewed
    refresh(true).catch((error) => {
      panel.hidden = false;
      note.textContent = `The preview failed: ${error}`;
    });
  }
  fileInput.addEventListener("change", fileChosen);
  // A file chosen before this script ran (a slow page), or kept by the browser on coming back.
  if (fileInput.files.length) fileChosen();

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors();
    const textColumn = form.elements.text_column;
    if (!textColumn.disabled && textColumn.tagName === "SELECT" && !textColumn.value) {
      fieldError(textColumn, CHOOSE_TEXT);
      showFormError(`Nothing was uploaded. ${CHOOSE_TEXT}`);
      textColumn.focus();
      return;
    }
    submitButton.disabled = true;
    send()
      .catch((error) => showFormError(`The upload failed: ${error}`))
      .finally(() => { submitButton.disabled = false; });
  });
})();
