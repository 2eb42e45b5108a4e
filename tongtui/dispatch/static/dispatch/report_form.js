// The report form: the progress slider and number kept together, a changed text checked again, the photos named.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  function field(name) { return document.getElementById(form.getAttribute("data-" + name) || ""); }
  var number = field("progress");
  var range = document.getElementById("progress-range");
  if (number && range) {
    range.addEventListener("input", function () { number.value = range.value; });
    number.addEventListener("input", function () { range.value = number.value; });
  }
  var submit = document.getElementById("submit-report");
  var done = field("done");
  if (submit && done && submit.dataset.plain) {
    done.addEventListener("input", function () {  // a changed text is checked again on submission
      submit.value = "1";
      submit.querySelector("span").textContent = submit.dataset.plain;
    }, {once: true});
  }
  var photos = field("photos");
  var names = document.getElementById("photo-names");
  if (photos && names) {
    var show = function () {
      names.textContent = Array.prototype.map.call(photos.files, function (f) { return f.name; }).join(", ");
    };
    photos.addEventListener("change", show);
    show();  // photos chosen on a slow phone before this script arrived are named too
  }
})();
