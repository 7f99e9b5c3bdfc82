// Texts table: a box that ticks (or unticks) every text of the page for "Set for the ticked
// texts". Without this script each text is ticked by hand.
"use strict";
(() => {
  const form = document.getElementById("correct-ticked");
  if (!form) return;
  const all = form.querySelector('[data-role="tick-all"]');
  const boxes = () => [...document.querySelectorAll('input[name="text_id"][form="correct-ticked"]')];
  all.closest("label").hidden = false;
  all.addEventListener("change", () => {
    boxes().forEach((box) => { box.checked = all.checked; });
  });
  document.addEventListener("change", (event) => {
    if (event.target.form !== form || event.target === all) return;
    const ticked = boxes().filter((box) => box.checked).length;
    all.checked = ticked === boxes().length;
    all.indeterminate = ticked > 0 && !all.checked;
  });
})();
