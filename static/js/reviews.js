/* Review queue: a "select all on this page" box for bulk decisions. Progressive enhancement only:
   without JavaScript each row's box still works. */
(function () {
  "use strict";
  var cell = document.querySelector("table.queue thead th[data-select-all]");
  if (!cell) return;
  var boxes = document.querySelectorAll("table.queue tbody input[name=ids]");
  var all = document.createElement("input");
  all.type = "checkbox";
  all.setAttribute("aria-label", cell.getAttribute("data-select-all"));
  cell.appendChild(all);
  all.addEventListener("change", function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
  });
})();
