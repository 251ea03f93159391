/* Confirmation dialog (core/confirm.py describes the pattern). A form that needs confirmation
   holds a hidden .confirm-summary (templates/confirm/_step.html); in a form of choices (the decision
   panel) the checked input's data-confirm-choice names the summary, or is empty (no confirmation). Submitting
   opens the summary in the page's <dialog>; "confirm" posts the form once with confirmed=yes.
   Without JavaScript the server answers a confirmation page instead, so nothing here is needed
   for the action to be safe. */
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var body = dialog.querySelector(".confirm-dialog-body");
  var title = dialog.querySelector("#confirm-dialog-title");
  var button = dialog.querySelector("[data-confirm-button]");
  var defaults = { title: title.textContent, label: button.textContent };
  var pending = null;

  function summaryOf(form) {
    // A form of choices (the decision panel): the chosen input names its summary, or none.
    if (form.querySelector("[data-confirm-choice]")) {
      var chosen = form.querySelector("[data-confirm-choice]:checked");
      var id = chosen && chosen.getAttribute("data-confirm-choice");
      return id ? document.getElementById(id) : null;
    }
    return form.querySelector(".confirm-summary");
  }

  function fill(source) {
    title.textContent = source.getAttribute("data-confirm-title") || defaults.title;
    button.textContent = source.getAttribute("data-confirm-label") || defaults.label;
    button.className = source.hasAttribute("data-confirm-danger") ? "danger-solid" : "primary";
    body.textContent = "";
    Array.prototype.forEach.call(source.children, function (child) {
      body.appendChild(child.cloneNode(true));
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method === "dialog") return;
    if (form.querySelector("input[name=confirmed][value=yes]")) return;
    var source = summaryOf(form);
    if (!source) return;
    if (!form.checkValidity()) return;
    event.preventDefault();
    pending = { form: form, submitter: event.submitter || null };
    fill(source);
    dialog.returnValue = "";
    dialog.showModal();
  });

  dialog.addEventListener("close", function () {
    if (!pending) return;
    var form = pending.form, submitter = pending.submitter;
    pending = null;
    if (dialog.returnValue !== "confirm") return;
    var mark = document.createElement("input");
    mark.type = "hidden";
    mark.name = "confirmed";
    mark.value = "yes";
    form.appendChild(mark);
    if (typeof form.requestSubmit === "function") form.requestSubmit(submitter || undefined);
    else form.submit();
  });
})();
