// The layout's menus (<details class="menu">) work without this script; with it, a click
// elsewhere or Escape closes an open menu, and opening one closes the other.
(function () {
  "use strict";
  const menus = Array.from(document.querySelectorAll("details.menu"));
  function closeAll(except) {
    menus.forEach(function (menu) {
      if (menu !== except) {
        menu.open = false;
      }
    });
  }
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (menu.open) {
        closeAll(menu);
      }
    });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("details.menu")) {
      closeAll(null);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      const open = menus.find(function (menu) { return menu.open; });
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      }
    }
  });
})();
