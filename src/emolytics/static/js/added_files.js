// Adding a file to a dataset: a workbook of several sheets offers them (read by the upload
// preview), the sheet read chosen; other files have no sheet to choose. Without this script
// the sheet stays a free field.
"use strict";
(() => {
  const form = document.getElementById("add-file-form");
  if (!form) return;
  const fileInput = form.querySelector('input[type="file"]');
  let latest = 0; // answers about an earlier file are dropped

  async function offerSheets() {
    window.Emolytics.offerSheets(form, null, () => {});
    const file = fileInput.files[0];
    const ticket = ++latest;
    if (!file || !/\.(xlsx|xlsm|xls|ods)$/i.test(file.name)) return;
    const body = new FormData();
    body.append("file", file, file.name); // a workbook is read from its end: sent whole
    const response = await fetch(form.dataset.previewUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": form.elements.csrf_token.value },
      credentials: "same-origin",
    }).catch(() => null);
    const found = response && response.ok ? await response.json() : null;
    if (ticket === latest && found) window.Emolytics.offerSheets(form, found, () => {});
  }

  offerSheets();
  fileInput.addEventListener("change", offerSheets);
})();
