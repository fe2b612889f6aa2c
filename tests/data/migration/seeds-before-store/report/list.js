// The list of events in report/index.html: newest first, filtered by place, kind, days and
// a text search, a page at a time. The data files (list/*.js) add each event as
// [href, label, place, kind, date, facts]; they are data, shown as text, never as markup.
(function () {
  "use strict";
  var PAGE = 50;
  var all = (window.crosscheckEvents || []).slice();
  var byId = function (id) { return document.getElementById(id); };
  var list = byId("events"), tools = byId("list-tools"), pages = byId("pages");
  if (!list || !tools) { return; }
  all.sort(function (a, b) {
    if (a[4] !== b[4]) { return a[4] === "" ? 1 : b[4] === "" ? -1 : (a[4] < b[4] ? 1 : -1); }
    return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
  });
  function fill(select, column) {
    var seen = {};
    all.forEach(function (e) { if (e[column]) { seen[e[column]] = true; } });
    Object.keys(seen).sort().forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
  }
  fill(byId("place"), 2);
  fill(byId("kind"), 3);
  var page = 0, shown = all;
  function matches(e, q, place, kind, from, to) {
    if (place && e[2] !== place) { return false; }
    if (kind && e[3] !== kind) { return false; }
    if (from && (!e[4] || e[4] < from)) { return false; }
    if (to && (!e[4] || e[4] > to)) { return false; }
    return !q || (e[1] + " " + e[5]).toLowerCase().indexOf(q) >= 0;
  }
  function draw() {
    var pagesCount = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pagesCount - 1);
    list.textContent = "";
    shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e[0];
      link.textContent = e[1];
      var facts = document.createElement("span");
      facts.className = "muted";
      facts.textContent = " (" + e[5] + ")";
      item.appendChild(link);
      item.appendChild(facts);
      list.appendChild(item);
    });
    list.start = page * PAGE + 1;
    byId("list-note").textContent = shown.length + " of " + all.length + " events, newest first";
    byId("page-no").textContent = "page " + (page + 1) + " of " + pagesCount;
    byId("prev").disabled = page === 0;
    byId("next").disabled = page >= pagesCount - 1;
  }
  function update() {
    var q = byId("q").value.trim().toLowerCase();
    var place = byId("place").value, kind = byId("kind").value;
    var from = byId("from").value, to = byId("to").value;
    shown = all.filter(function (e) { return matches(e, q, place, kind, from, to); });
    page = 0;
    draw();
  }
  ["q", "place", "kind", "from", "to"].forEach(function (id) {
    byId(id).addEventListener("input", update);
  });
  tools.addEventListener("submit", function (event) { event.preventDefault(); });
  byId("prev").addEventListener("click", function () { page -= 1; draw(); });
  byId("next").addEventListener("click", function () { page += 1; draw(); });
  tools.hidden = false;
  pages.hidden = false;
  draw();
}());
