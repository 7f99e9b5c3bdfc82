// The messages a page showed ("2 texts added from april.csv…; 1 unreadable row skipped: line
// 4 …") shown again on the page that follows when job.js reloads it for a finished job, so
// a job that finishes within a second does not take them away unread. job.js keeps them
// (for the one address it goes to); this script shows them once.
(() => {
  "use strict";
  const KEY = "emolytics-kept-messages";
  let kept = null;
  try {
    kept = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
    window.sessionStorage.removeItem(KEY);
  } catch {
    return; // storage disabled or damaged: nothing kept
  }
  if (!kept || kept.url !== window.location.href || !Array.isArray(kept.messages)) return;
  const main = document.querySelector("main");
  const shown = new Set(Array.from(main.querySelectorAll(":scope > .flash"), (p) => p.textContent));
  kept.messages
    .filter((message) => !shown.has(message.text))
    .reverse()
    .forEach((message) => {
      const paragraph = document.createElement("p");
      paragraph.className = message.className;
      paragraph.setAttribute("role", "status");
      paragraph.textContent = message.text;
      main.prepend(paragraph);
    });
})();
