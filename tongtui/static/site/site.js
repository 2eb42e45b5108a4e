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

// Bulk work on the task list: a box in the header (or the bar, on a phone) ticks the page, "all tasks matching
// the filter" ticks the page and counts them all, the bar shows how many are selected, and the operations wait
// for a selection. Without JavaScript the boxes and buttons still post the same form.
(function () {
  "use strict";
  document.documentElement.classList.add("tt-js");

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('input[name="task"][form="bulk-form"]'));
  }

  function update() {
    var form = document.getElementById("bulk-form");
    if (!form) return;
    var all = document.getElementById("bulk-all");
    var list = boxes();
    var ticked = list.filter(function (b) { return b.checked; }).length;
    var n = all && all.checked ? parseInt(form.getAttribute("data-total"), 10) : ticked;
    var count = document.getElementById("bulk-count");
    if (count) {
      count.textContent = count.getAttribute("data-template").replace("__N__", String(n));
      count.hidden = false;
    }
    Array.prototype.forEach.call(form.querySelectorAll('button[name="op"]'), function (b) { b.disabled = n === 0; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-bulk-page]"), function (page) {
      page.checked = ticked > 0 && ticked === list.length;
      page.indeterminate = ticked > 0 && ticked < list.length;
    });
    form.classList.toggle("tt-bulk-active", n > 0);
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    var all = document.getElementById("bulk-all");
    if (el.hasAttribute && el.hasAttribute("data-bulk-page")) {
      boxes().forEach(function (b) { b.checked = el.checked; });
      if (!el.checked && all) all.checked = false;
    } else if (el.id === "bulk-all") {
      if (el.checked) boxes().forEach(function (b) { b.checked = true; });
    } else if (el.name === "task" && el.getAttribute("form") === "bulk-form") {
      if (!el.checked && all) all.checked = false;
    } else {
      return;
    }
    update();
  });
  // With every matching task selected the address carries the filter, not the page's ids as well.
  document.addEventListener("submit", function (event) {
    var all = document.getElementById("bulk-all");
    if (event.target.id !== "bulk-form" || !all || !all.checked) return;
    var list = boxes();
    list.forEach(function (b) { b.disabled = true; });
    setTimeout(function () { list.forEach(function (b) { b.disabled = false; }); }, 0);
  });
  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("htmx:afterSettle", update);
  window.addEventListener("pageshow", update);  // a page restored from the back/forward cache keeps its ticks
})();

// Small behaviours named by data attributes, so that pages carry no inline script (Content-Security-Policy):
// data-autosubmit (a select sends its form when changed), data-confirm="question" (a form asks first),
// data-submit-once (the button is disabled once its form is sent), data-tick-all="selector" (a box ticks the
// others), data-print (prints the page), data-goto-task (the form opens data-base with its task in place of 0).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
    if (el.matches && el.matches("input[data-tick-all]")) {
      Array.prototype.forEach.call(document.querySelectorAll(el.getAttribute("data-tick-all")), function (box) {
        if (box !== el) box.checked = el.checked;
      });
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-goto-task")) {
      event.preventDefault();
      window.location.href = form.getAttribute("data-base").replace(/\/0\/$/, "/" + form.elements.task.value + "/");
      return;
    }
    var button = event.submitter;
    if (button && button.hasAttribute("data-submit-once")) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-print]") : null;
    if (el) window.print();
  });
})();

// The unit box of the task list when the units are too many for a drop-down: typing asks the server for the units
// whose names hold the words, the arrows and Enter (or a tap) choose one, and the list reloads for it; emptying
// the box shows every unit again. The chosen unit's id is the form's `unit`, as the drop-down's was.
(function () {
  "use strict";

  function init(box) {
    var url = box.getAttribute("data-unit-picker");
    var search = box.querySelector('input[type="search"]');
    var hidden = box.querySelector('input[type="hidden"]');
    var list = box.querySelector('[role="listbox"]');
    var timer = null, asked = 0, active = -1;

    function items() { return Array.prototype.slice.call(list.querySelectorAll("[data-unit]")); }
    function open(on) { list.hidden = !on; search.setAttribute("aria-expanded", on ? "true" : "false"); }
    function mark(i) {
      var all = items();
      active = all.length ? (i + all.length) % all.length : -1;
      all.forEach(function (b, k) { b.classList.toggle("active", k === active); b.setAttribute("aria-selected", k === active ? "true" : "false"); });
    }
    function choose(id, label) {
      search.value = label;
      open(false);
      if (hidden.value === id) return;
      hidden.value = id;
      hidden.dispatchEvent(new Event("change", { bubbles: true }));  // the form's hx-trigger reloads the list
    }
    function show(units) {
      list.textContent = "";
      units.forEach(function (u) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "list-group-item list-group-item-action py-1 small";
        b.setAttribute("role", "option");
        b.setAttribute("data-unit", String(u.id));
        b.textContent = u.label;
        if (u.name !== u.label) b.title = u.name;
        b.addEventListener("mousedown", function (e) { e.preventDefault(); choose(String(u.id), u.label); });
        list.appendChild(b);
      });
      if (!units.length) {
        var none = document.createElement("div");
        none.className = "list-group-item py-1 small text-secondary";
        none.textContent = list.getAttribute("data-none");
        list.appendChild(none);
      }
      active = -1;
      open(true);
    }
    function ask() {
      var q = search.value.trim();
      if (!q) {
        open(false);
        if (hidden.value) choose("", "");
        return;
      }
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { units: [] }; })
        .then(function (data) { if (mine === asked && document.activeElement === search) show(data.units || []); })
        .catch(function () { /* the box stays as typed; the next keystroke asks again */ });
    }
    // typing is not a change of the filter: only a chosen unit is
    search.addEventListener("change", function (e) { e.stopPropagation(); });
    search.addEventListener("input", function (e) {
      e.stopPropagation();
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (list.hidden) return;
        e.preventDefault();
        mark(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter") {
        var all = items();
        var pick = all[active] || (all.length === 1 ? all[0] : null);
        if (!list.hidden && pick) {
          e.preventDefault();
          choose(pick.getAttribute("data-unit"), pick.textContent);
        }
      } else if (e.key === "Escape") {
        open(false);
      }
    });
    search.addEventListener("blur", function () { open(false); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-unit-picker]"), init);
  });
})();
