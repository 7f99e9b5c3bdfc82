// Train page: once a CSV file or a workbook is chosen, the text and label column fields become
// lists of the file's columns (read by the upload preview), with the likely ones chosen; a
// workbook of several sheets offers them too, the sheet read chosen. Without this script they
// stay free fields, and the server names the file's columns when one is not there.
"use strict";
(() => {
  const form = document.getElementById("train-form");
  if (!form) return;
  const fileInput = form.querySelector('input[type="file"]');
  const note = document.getElementById("columns-note");
  const HEAD_BYTES = 64 * 1024;
  const LABEL_NAMES = ["label", "labels", "emotion", "category", "topic", "class", "sentiment",
    "tag", "intent"];
  let latest = 0; // answers about an earlier file are dropped

  async function columnsOf(file, sheet) {
    const body = new FormData();
    // A workbook is a ZIP archive, read from its end: it is sent whole.
    const workbook = /\.(xlsx|xlsm|xls|ods)$/i.test(file.name);
    body.append("file", workbook ? file : file.slice(0, HEAD_BYTES), file.name);
    if (sheet) body.append("sheet", sheet);
    const response = await fetch(form.dataset.previewUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": form.elements.csrf_token.value },
      credentials: "same-origin",
    });
    const found = await response.json();
    return response.ok && ["csv", "xlsx", "json", "jsonl"].includes(found.format) ? found : null;
  }

  // The field as a list of the columns: the column typed or chosen before when the file has it
  // (and it is not `taken`, the texts' column), else `guess`.
  function offer(name, columns, guess, taken = null) {
    const input = form.elements[name];
    const chosen = input.value;
    const select = document.createElement("select");
    select.name = name;
    select.id = input.id;
    select.setAttribute("aria-invalid", input.getAttribute("aria-invalid") || "false");
    columns.forEach((column) => select.appendChild(new Option(column, column)));
    select.value = columns.includes(chosen) && chosen !== taken ? chosen : guess;
    input.replaceWith(select);
    return select.value;
  }

  function offerSheets(found) {
    window.Emolytics.offerSheets(form, found, readColumns);
  }

  async function readColumns(sheet) {
    const file = fileInput.files[0];
    const ticket = ++latest;
    note.hidden = true;
    if (!file) return;
    const found = await columnsOf(file, sheet).catch(() => null);
    if (ticket !== latest || !found) return;
    offerSheets(found);
    if (found.columns.length < 2) return;
    const columns = found.columns;
    const text = offer("text_column", columns, found.guesses.text || columns[0]);
    const named = columns.find((column) => LABEL_NAMES.includes(column.toLowerCase()));
    offer("label_column", columns, named || columns.find((column) => column !== text), text);
    const where = found.sheets.length > 1 ? `Sheet "${found.sheet}": its columns` :
      "The file's columns";
    note.textContent = `${where}: ${columns.join(", ")}.`;
    note.hidden = false;
  }

  offerSheets(null); // until a workbook shows its sheets
  function fileChosen() {
    offerSheets(null); // a new file's own sheets are offered once it is read
    readColumns(null);
  }
  fileInput.addEventListener("change", fileChosen);
  // A file chosen before this script ran (a slow page), or kept by the browser on coming back.
  if (fileInput.files.length) fileChosen();
})();
