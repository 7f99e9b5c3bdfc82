/* Emolytics keys: a page's buttons and links that say which key presses them.
 *
 * Markup: a button or link with data-key, the key's name in lower case ("1", "s",
 * "arrowright"): the review page's labels (1 to 9), skip (s) and undo (u), inside plain POST
 * forms; a text page's previous and next links (arrowleft, arrowright). All work without this
 * script. A key press outside a field clicks the one with that key, once: the page is left
 * after the first.
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
    const control = [...document.querySelectorAll("[data-key]")].find(
      (candidate) => candidate.dataset.key === key && !candidate.disabled,
    );
    if (!control) return;
    event.preventDefault();
    pressed = true;
    control.click();
  });
})();
