/* The reviewer's decision panel: the comment field's label, its requirement and the button follow
   the chosen decision. The server checks the same rule (reviews.forms.DecisionForm), so without
   JavaScript a missing reason is still refused, with the message beside the field. */
(function () {
  "use strict";
  var form = document.querySelector("form.decision");
  if (!form) return;
  var label = form.querySelector("#comment-label");
  var comment = form.querySelector("#id_comment");
  var button = form.querySelector("[data-decision-submit]");
  var initial = button.textContent;

  function update() {
    var chosen = form.querySelector("input[name=name]:checked");
    if (!chosen) return;
    var required = chosen.hasAttribute("data-reason-required");
    label.textContent = chosen.getAttribute("data-comment-label");
    comment.setAttribute("aria-required", required ? "true" : "false");
    button.className = required ? "danger-solid" : "primary";
    button.textContent = chosen.parentNode.textContent.trim() || initial;
  }

  // A missing reason goes to the server, which answers with its message beside the field;
  // there is nothing to confirm yet (the document-level confirmation listener never sees it).
  form.addEventListener("submit", function (event) {
    var chosen = form.querySelector("input[name=name]:checked");
    if (chosen && chosen.hasAttribute("data-reason-required") && !comment.value.trim()) {
      event.stopPropagation();
    }
  });

  form.addEventListener("change", function (event) {
    if (event.target.name === "name") update();
  });
  update();
})();
