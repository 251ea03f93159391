/* Header navigation on narrow screens: collapsed behind a "菜单" button. Without JavaScript the
   navigation simply wraps onto several lines (greenmfg.css), which also fits a phone.
   The person's menu (a <details>, which opens without JavaScript) closes on Escape or a click
   elsewhere, as a menu does. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.nav-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.nav-menu[open]").forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  var header = document.querySelector(".site-header");
  var toggle = header && header.querySelector(".nav-toggle");
  if (!toggle) return;
  header.classList.add("js-nav");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = header.classList.toggle("nav-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
