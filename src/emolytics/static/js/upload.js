// Upload page: preview the first rows of the chosen file and preselect the columns.
"use strict";
(() => {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const fileInput = form.querySelector('input[type="file"]');
  const panel = document.getElementById("preview");
  const note = document.getElementById("preview-note");
  const table = document.getElementById("preview-table");
  const roles = {
    text: "text_column", posted_at: "time_column", author: "author_column",
    lat: "lat_column", lon: "lon_column",
  };
  const HEAD_BYTES = 64 * 1024;

  function cell(tag, text) {
    const element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  function showTable(columns, rows) {
    table.replaceChildren();
    const head = document.createElement("tr");
    columns.forEach((name) => head.appendChild(cell("th", name)));
    table.appendChild(head);
    rows.forEach((row) => {
      const line = document.createElement("tr");
      columns.forEach((name) => line.appendChild(cell("td", row[name] ?? "")));
      table.appendChild(line);
    });
  }

  function offerColumns(columns, guesses) {
    Object.entries(roles).forEach(([role, fieldName]) => {
      const input = form.elements[fieldName];
      if (!input) return;
      const select = document.createElement("select");
      select.name = fieldName;
      select.id = input.id;
      select.appendChild(new Option(role === "text" ? "choose…" : "none", ""));
      columns.forEach((name) => select.appendChild(new Option(name, name)));
      select.value = guesses[role] || "";
      input.replaceWith(select);
    });
  }

  async function preview() {
    const file = fileInput.files[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file.slice(0, HEAD_BYTES), file.name);
    const response = await fetch(form.dataset.previewUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": form.elements.csrf_token.value },
      credentials: "same-origin",
    });
    const found = await response.json();
    panel.hidden = false;
    if (!response.ok) {
      note.textContent = found.error;
      table.replaceChildren();
      return;
    }
    const problems = found.problems.map((p) => `line ${p.line}: ${p.reason}`).join("; ");
    note.textContent = `${found.format.toUpperCase()}, ${found.encoding}. ` +
      (problems ? `Problems in the first rows: ${problems}` : "Check the columns below.");
    showTable(found.columns, found.rows);
    if (found.format !== "txt") offerColumns(found.columns, found.guesses);
  }

  fileInput.addEventListener("change", () => { preview().catch((error) => {
    panel.hidden = false;
    note.textContent = `The preview failed: ${error}`;
  }); });
})();
