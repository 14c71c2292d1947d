/* Sort the rows of every table.sortable by a click (or Enter/Space) on a column header. Numeric cells carry their raw
   value in data-sort; text is compared the French way (accents, numbers inside words). No library, works offline. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "fr";
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
  function key(cell) {
    if (!cell) { return { missing: true }; }
    var raw = cell.getAttribute("data-sort");
    if (raw !== null) {
      if (raw === "") { return { missing: true }; }
      var n = Number(raw);
      if (!isNaN(n)) { return { num: n }; }
      return { text: raw };
    }
    var text = cell.textContent.trim();
    return text === "" || text === "\u2014" ? { missing: true } : { text: text };
  }
  function compare(a, b) {
    if (a.missing || b.missing) { return a.missing === b.missing ? 0 : (a.missing ? 1 : -1); }
    if (a.num !== undefined && b.num !== undefined) { return a.num - b.num; }
    return collator.compare(String(a.text !== undefined ? a.text : a.num), String(b.text !== undefined ? b.text : b.num));
  }
  function sortBy(table, index, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var headers = table.tHead.rows[0].cells;
    for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, pos) {
      return { row: row, key: key(row.cells[index]), pos: pos };
    });
    rows.sort(function (a, b) {
      var c = compare(a.key, b.key);
      if (a.key.missing || b.key.missing) { return c || a.pos - b.pos; } /* missing values stay last */
      return (ascending ? c : -c) || a.pos - b.pos;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }
  function init(table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      button.title = lang.indexOf("en") === 0 ? "Sort by this column" : "Trier selon cette colonne";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), init);

  /* On paper a wide table cannot scroll: shrink it (CSS zoom, never below 50 %) to the printable width. */
  var PRINT_WIDTH = 700; /* letter paper minus the @page margins, in CSS pixels */
  function fitTables(printing) {
    Array.prototype.forEach.call(document.querySelectorAll("table.vigie-table"), function (t) {
      t.style.zoom = "";
      if (!printing) { return; }
      var box = Math.min(t.parentElement.clientWidth || PRINT_WIDTH, PRINT_WIDTH);
      var width = t.scrollWidth;
      if (width > box + 1) { t.style.zoom = Math.max(0.5, box / width).toFixed(3); }
    });
  }
  var printMedia = window.matchMedia ? window.matchMedia("print") : null;
  if (printMedia && printMedia.addEventListener) {
    printMedia.addEventListener("change", function (e) { fitTables(e.matches); });
  }
  window.addEventListener("beforeprint", function () { fitTables(true); });
  window.addEventListener("afterprint", function () { fitTables(false); });
})();
