/* Upload progress bar (progressive enhancement): without JavaScript the form posts as usual.
   With it, the same form is sent by XMLHttpRequest so upload.onprogress can move the bar; the
   server's answer (the page with the result or the message beside the field) replaces this one. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var box = form.querySelector(".progress");
  var bar = box && box.querySelector("progress");
  var text = box && box.querySelector(".progress-text");
  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    if (!input || !input.files || !input.files.length || !bar) { return; }
    event.preventDefault();
    // On a slow line, say "too large" before sending 50 MB for nothing (the server checks anyway).
    var max = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
    if (max && input.files[0].size > max) {
      var list = document.getElementById(input.id + "_errors");
      if (!list) {
        list = document.createElement("ul");
        list.className = "errorlist";
        list.id = input.id + "_errors";
        list.setAttribute("role", "alert");
        input.insertAdjacentElement("afterend", list);
      }
      list.innerHTML = "";
      var item = document.createElement("li");
      item.textContent = form.getAttribute("data-too-large") || "";
      list.appendChild(item);
      input.closest(".field").classList.add("has-error");
      return;
    }
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    box.hidden = false;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) { return; }
      var pct = Math.floor((e.loaded / e.total) * 100);
      bar.value = pct;
      text.textContent = pct + "%";
    };
    xhr.onload = function () {
      // Follow the server: a redirect after success lands on responseURL; errors come back as a page.
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (xhr.responseURL && xhr.responseURL !== window.location.href) {
        window.history.replaceState(null, "", xhr.responseURL);
      }
    };
    xhr.onerror = function () {
      if (button) { button.disabled = false; }
      text.textContent = form.getAttribute("data-error") || "";
    };
    xhr.send(new FormData(form));
  });
})();
