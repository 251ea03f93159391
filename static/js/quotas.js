// Progressive enhancement for the Annex 1 quota form: keep the 合计 cell equal to the sum of the
// inputs as the province types. The page works without it (the total is shown on save).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.quota-form");
  var total = document.getElementById("quota-total");
  if (!form || !total) return;
  var inputs = form.querySelectorAll("input.quota-input");
  function update() {
    var sum = 0;
    inputs.forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (!isNaN(n) && n > 0) sum += n;
    });
    total.textContent = String(sum);
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
});
