// A workbook's sheets on the upload and train pages: the preview's answer names them and the
// sheet read. A workbook of several sheets turns the form's sheet field into a list of them,
// the sheet read chosen; other files (and `found` null: no file read yet) have no sheet to
// choose: the field is hidden and sends nothing. `onChange(sheet)` reads the sheet chosen.
"use strict";
window.Emolytics = window.Emolytics || {};
window.Emolytics.offerSheets = (form, found, onChange) => {
  const input = form.elements.sheet;
  const several = Boolean(found) && found.format === "xlsx" && found.sheets.length > 1;
  input.closest(".field").hidden = !several;
  input.disabled = !several;
  if (!several) return;
  const select = document.createElement("select");
  select.name = input.name;
  select.id = input.id;
  found.sheets.forEach((name) => select.appendChild(new Option(name, name)));
  select.value = found.sheet;
  select.addEventListener("change", () => onChange(select.value));
  input.replaceWith(select);
};
