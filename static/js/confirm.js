/* Confirmation dialog (core/confirm.py describes the pattern). A form that needs confirmation
   holds a hidden .confirm-summary (templates/confirm/_step.html); in a form of choices (the decision
   panel, a drop-down) the checked input's or selected option's data-confirm-choice names the
   summary, or is empty or absent (no confirmation);
   in a form of several buttons (the queue's bulk actions) the pressed button's does. Submitting
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

  function summaryOf(form, submitter) {
    // A form of several submit buttons (the queue's bulk actions): the pressed one names its
    // summary, or none.
    if (submitter && submitter.hasAttribute("data-confirm-choice")) {
      var named = submitter.getAttribute("data-confirm-choice");
      return named ? document.getElementById(named) : null;
    }
    // A form of choices (the decision panel's radios, a drop-down's options): the chosen one
    // names its summary, or none.
    if (form.querySelector("input[data-confirm-choice], option[data-confirm-choice]")) {
      var chosen = form.querySelector(
        "input[data-confirm-choice]:checked, option[data-confirm-choice]:checked"
      );
      var id = chosen && chosen.getAttribute("data-confirm-choice");
      return id ? document.getElementById(id) : null;
    }
    return form.querySelector(".confirm-summary");
  }

  // A field the action cannot go without (data-confirm-requires="comment" on the button) is
  // empty, or none of the checkboxes it names is ticked: no dialog, the server answers with its
  // reason at once.
  function missingRequired(form, submitter) {
    var name = submitter && submitter.getAttribute("data-confirm-requires");
    if (!name) return false;
    var boxes = Array.prototype.filter.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
      return box.name === name;
    });
    if (boxes.length) return !boxes.some(function (box) { return box.checked; });
    var field = form.elements.namedItem(name);
    return Boolean(field && !String(field.value || "").trim());
  }

  // The ticked rows the summary should name (data-confirm-items-from="<checkbox name>").
  function tickedItems(form, source) {
    var name = source.getAttribute("data-confirm-items-from");
    if (!name) return null;
    var list = document.createElement("ul");
    list.className = "confirm-items";
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
      if (box.name !== name || !box.checked) return;
      var item = document.createElement("li");
      item.textContent = box.getAttribute("data-confirm-item") || box.value;
      list.appendChild(item);
    });
    return list;
  }

  // A date as the page's language writes it (2026年12月8日, December 8, 2026).
  function longDate(field) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        dateStyle: "long",
        timeZone: "UTC",
      }).format(field.valueAsDate);
    } catch (error) {
      return field.value;
    }
  }

  // The values the action takes from the form (data-confirm-value="<field name>"): what is in the
  // field now, or the slot's data-confirm-empty when it is blank.
  function fillValues(form) {
    Array.prototype.forEach.call(body.querySelectorAll("[data-confirm-value]"), function (slot) {
      var field = form.elements.namedItem(slot.getAttribute("data-confirm-value"));
      var value = field ? String(field.value || "").trim() : "";
      if (value && field.type === "date" && field.valueAsDate) value = longDate(field);
      if (value) slot.textContent = value;
      else if (slot.hasAttribute("data-confirm-empty")) slot.textContent = slot.getAttribute("data-confirm-empty");
    });
  }

  function fill(source, form) {
    title.textContent = source.getAttribute("data-confirm-title") || defaults.title;
    button.textContent = source.getAttribute("data-confirm-label") || defaults.label;
    button.className = source.hasAttribute("data-confirm-danger") ? "danger-solid" : "primary";
    body.textContent = "";
    Array.prototype.forEach.call(source.children, function (child) {
      body.appendChild(child.cloneNode(true));
    });
    var ticked = tickedItems(form, source);
    if (ticked) body.appendChild(ticked);
    fillValues(form);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method === "dialog") return;
    if (form.querySelector("input[name=confirmed][value=yes]")) return;
    var submitter = event.submitter || null;
    var source = summaryOf(form, submitter);
    if (!source) return;
    if (!form.checkValidity() || missingRequired(form, submitter)) return;
    event.preventDefault();
    pending = { form: form, submitter: submitter };
    fill(source, form);
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
