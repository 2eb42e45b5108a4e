// Tongtui page behaviour that htmx attributes cannot express.
(function () {
  "use strict";
  // A select marked data-navigate reloads the page with only its own value (e.g. switching the plan year
  // resets the other filters, whose choices depend on it).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("select[data-navigate]")) return;
    event.stopPropagation();
    var params = new URLSearchParams();
    if (el.value) params.set(el.name, el.value);
    window.location.search = params.toString();
  }, true);
})();

// "Add a row" for a Django formset: clone <template id="PREFIX-empty"> and bump PREFIX-TOTAL_FORMS.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-formset-add]") : null;
    if (!button) return;
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var rows = document.getElementById(prefix + "-rows");
    if (!total || !template || !rows) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = rows.lastElementChild && rows.lastElementChild.querySelector("input:not([type=hidden])");
    if (first) first.focus();
  });
})();
