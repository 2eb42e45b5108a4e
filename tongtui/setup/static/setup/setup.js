// Unit-group members: tick or clear every unit of some kinds at once.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-check-kinds]") : null;
    if (!button) return;
    event.preventDefault();
    var kinds = button.getAttribute("data-check-kinds").split(" ");
    var value = button.getAttribute("data-check-value") !== "0";
    document.querySelectorAll("input[data-kind]").forEach(function (box) {
      if (kinds.indexOf("*") >= 0 || kinds.indexOf(box.getAttribute("data-kind")) >= 0) box.checked = value;
    });
    var count = document.getElementById("members-count");
    if (count) count.textContent = String(document.querySelectorAll("input[data-kind]:checked").length);
  });
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches("input[data-kind]")) return;
    var count = document.getElementById("members-count");
    if (count) count.textContent = String(document.querySelectorAll("input[data-kind]:checked").length);
  });
})();

// Report cycle form: show only the fields of the chosen due rule.
(function () {
  "use strict";
  function sync() {
    var rule = document.getElementById("id_due_kind");
    if (!rule) return;
    document.querySelectorAll("[data-due-kind]").forEach(function (box) {
      box.hidden = box.getAttribute("data-due-kind").split(" ").indexOf(rule.value) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.id === "id_due_kind") sync();
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
