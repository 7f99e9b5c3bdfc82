/* Emolytics review page: keys for its buttons.
 *
 * Markup: buttons with data-key="1" ... data-key="9" (a label each), data-key="s" (skip) and
 * data-key="u" (undo), inside plain POST forms that work without this script. A key press
 * outside a field clicks the button with that key, once: the page is left after the first.
 */
(() => {
  "use strict";

  let pressed = false;

  document.addEventListener("keydown", (event) => {
    if (pressed || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    const key = event.key.toLowerCase();
    const button = [...document.querySelectorAll("button[data-key]")].find(
      (candidate) => candidate.dataset.key === key && !candidate.disabled,
    );
    if (!button) return;
    event.preventDefault();
    pressed = true;
    button.click();
  });
})();
