/* The report's tables in the page, with no library and no network (the page works offline):
   - sort the rows of every table.sortable by a click (or Enter/Space) on a column header; numeric cells carry their
     raw value in data-sort; text is compared the French way (accents, numbers inside words);
   - long tables (table.sortable) get a search box, a filter for each column of few values, the count of rows shown
     and a CSV download of the rows shown (UTF-8 with BOM, ';' and decimal comma in French, formulas neutralised);
   - a table wider than its box scrolls with its first column kept in view (vigie-scroll) or, on a narrow screen,
     stacks its rows as cards (vigie-stack), each value under its header (data-label).
   Words come from VIGIE_LABELS, set by the page from the label catalogues. */
(function () {
  "use strict";
  var L = window.VIGIE_LABELS || {};
  var lang = document.documentElement.lang || "fr";
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
  var NARROW = 640; /* px: below this width a table that does not fit stacks its rows */

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
  function headerText(th) { return th.textContent.replace(/\s+/g, " ").trim(); }

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
  function initSort(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      button.title = L.sort || "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  }

  /* ---- search, filters, CSV of the rows shown ---- */
  var FORMULA = /^[=+\-@\t\r]/;
  function csvCell(text, sep) {
    var value = FORMULA.test(text) ? "'" + text : text; /* OWASP: a spreadsheet must not read a formula */
    return /["\n\r]/.test(value) || value.indexOf(sep) >= 0 ? '"' + value.replace(/"/g, '""') + '"' : value;
  }
  function csvOf(table, sep) {
    var lines = [Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return csvCell(headerText(th), sep);
    }).join(sep)];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      if (row.hidden) { return; }
      lines.push(Array.prototype.map.call(row.cells, function (td) {
        return csvCell(td.textContent.replace(/\s+/g, " ").trim(), sep);
      }).join(sep));
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  }
  function slugOf(text) {
    return (text || "tableau").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "tableau";
  }
  function initTools(table, wrap) {
    var body = table.tBodies[0];
    var total = body.rows.length;
    var tools = document.createElement("div");
    tools.className = "vigie-table-tools";
    tools.setAttribute("role", "search");
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = L.search || "";
    search.setAttribute("aria-label", (L.search || "") + (table.caption ? " : " + table.caption.textContent : ""));
    tools.appendChild(search);
    var filters = [];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      if (th.classList.contains("num")) { return; }
      var values = {};
      var n = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.cells[index] ? row.cells[index].textContent.trim() : "";
        if (!(text in values)) { values[text] = true; n++; }
      });
      if (n < 2 || n > 12 || n === total) { return; }
      var label = document.createElement("label");
      label.appendChild(document.createTextNode(headerText(th)));
      var select = document.createElement("select");
      var all = document.createElement("option");
      all.value = ""; all.textContent = L.filter_all || "*";
      select.appendChild(all);
      Object.keys(values).sort(collator.compare).forEach(function (v) {
        var option = document.createElement("option");
        option.value = v; option.textContent = v;
        select.appendChild(option);
      });
      label.appendChild(select);
      tools.appendChild(label);
      filters.push({ index: index, select: select });
    });
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    tools.appendChild(count);
    var download = document.createElement("button");
    download.type = "button";
    download.className = "vigie-csv";
    download.textContent = L.download_shown || "CSV";
    tools.appendChild(download);
    function apply() {
      var words = search.value.toLocaleLowerCase(lang).split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent.toLocaleLowerCase(lang);
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) && filters.every(function (f) {
          return !f.select.value || (row.cells[f.index] && row.cells[f.index].textContent.trim() === f.select.value);
        });
        row.hidden = !ok;
        if (ok) { shown++; }
      });
      count.textContent = (L.rows_shown || "{shown}/{total}").replace("{shown}", shown).replace("{total}", total);
    }
    search.addEventListener("input", apply);
    filters.forEach(function (f) { f.select.addEventListener("change", apply); });
    download.addEventListener("click", function () {
      var blob = new Blob([csvOf(table, L.csv_separator || ";")], { type: "text/csv;charset=utf-8" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = slugOf(table.caption ? table.caption.textContent : "") + ".csv";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });
    apply();
    wrap.parentNode.insertBefore(tools, wrap);
  }

  /* ---- fit: scroll with a sticky first column, or stack on a narrow screen ---- */
  function label(table) {
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells, headerText);
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (td, i) { td.setAttribute("data-label", headers[i] || ""); });
    });
  }
  function fit() {
    var narrow = window.innerWidth <= NARROW;
    Array.prototype.forEach.call(document.querySelectorAll(".vigie-table-wrap"), function (wrap) {
      var table = wrap.querySelector("table");
      wrap.classList.remove("vigie-stack", "vigie-scroll");
      if (!table || table.scrollWidth <= wrap.clientWidth + 1) { return; }
      wrap.classList.add(narrow ? "vigie-stack" : "vigie-scroll");
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.vigie-table"), function (table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    label(table);
    if (table.classList.contains("sortable")) {
      initSort(table);
      var wrap = table.parentElement;
      if (wrap && wrap.classList.contains("vigie-table-wrap")) { initTools(table, wrap); }
    }
  });
  fit();
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(fit, 100); });
})();
