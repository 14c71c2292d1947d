/* The bank browser: filters the embedded catalogue, shows it page by page, and writes the filtered works as CSV,
   BibTeX or RIS exactly as analysis.vigie.catalogue does (tests compare them byte for byte). Every value from the
   data reaches the page through textContent or a DOM property, never as markup. No network, no external file. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("bank-data").textContent);
  var L = D.labels;
  var COL = {id: 0, title: 1, year: 2, doi: 3, source: 4, type: 5, lang: 6, cited: 7, authors: 8, themes: 9,
             origins: 10, keywords: 11};
  var works = D.works;
  var PAGE = D.page_size;
  var shown = PAGE;
  var matches = [];

  // ---- text helpers ------------------------------------------------------------------------------------------
  var SPACES = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x1c-\x1f\x85\ufeff]+/g;
  function fold(s) { return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function oneLine(v) {
    if (v === null || v === undefined) { return ""; }
    return String(v).replace(SPACES, " ").replace(/^ +| +$/g, "");
  }
  function integer(n) {
    var s = String(Math.abs(n)), out = "";
    while (s.length > 3) { out = D.thousands + s.slice(-3) + out; s = s.slice(0, -3); }
    return (n < 0 ? "\u2212" : "") + s + out;
  }
  function fill(text, fields) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in fields ? fields[k] : m; });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  var URL_ESC = {" ": "%20", "\"": "%22", "<": "%3C", ">": "%3E", "{": "%7B", "}": "%7D", "\\": "%5C", "#": "%23",
                 "?": "%3F", "%": "%25", "|": "%7C", "^": "%5E", "`": "%60"};
  function doiUrl(doi) {
    if (!doi || !String(doi).trim()) { return ""; }
    return D.doi_url + String(doi).trim().replace(/[ "<>{}\\#?%|^`]/g, function (c) { return URL_ESC[c]; });
  }
  function sourceOf(w) { return w[COL.source] === null ? null : D.sources[w[COL.source]]; }
  function typeOf(w) { return w[COL.type] === null ? null : D.types[w[COL.type]]; }
  function langOf(w) { return w[COL.lang] === null ? null : D.languages[w[COL.lang]]; }
  function themeIds(w) { return w[COL.themes].map(function (i) { return D.themes[i][0]; }); }
  function themeNames(w) { return w[COL.themes].map(function (i) { return D.themes[i][1]; }); }
  function origins(w) {
    return w[COL.origins].map(function (o) { return D.files[o[0]] + "#" + o[1]; });
  }

  // ---- search index ------------------------------------------------------------------------------------------
  var hay = works.map(function (w) {
    return fold([w[COL.title], w[COL.authors].join(" "), sourceOf(w) || "", w[COL.keywords] || "",
                 w[COL.doi] || "", w[COL.id]].join(" "));
  });
  var foldedSources = works.map(function (w) { return fold(sourceOf(w) || ""); });

  // ---- filters -----------------------------------------------------------------------------------------------
  var form = document.getElementById("bank-filters");
  function state() {
    var f = form.elements;
    return {q: f.q.value, from: f.from.value, to: f.to.value, theme: f.theme.value, source: f.source.value,
            type: f.type.value, lang: f.lang.value, origin: f.origin.value, sort: f.sort.value};
  }
  function filter(s) {
    var words = fold(s.q).split(/\s+/).filter(Boolean);
    var from = s.from === "" ? null : Number(s.from), to = s.to === "" ? null : Number(s.to);
    var src = fold(s.source.trim());
    var out = [];
    for (var i = 0; i < works.length; i++) {
      var w = works[i];
      if (from !== null && (w[COL.year] === null || w[COL.year] < from)) { continue; }
      if (to !== null && (w[COL.year] === null || w[COL.year] > to)) { continue; }
      if (s.theme === "__none__" ? w[COL.themes].length > 0
          : s.theme !== "" && w[COL.themes].indexOf(Number(s.theme)) < 0) { continue; }
      if (s.type !== "" && String(w[COL.type]) !== s.type) { continue; }
      if (s.lang === "__none__" ? w[COL.lang] !== null : s.lang !== "" && String(w[COL.lang]) !== s.lang) {
        continue;
      }
      if (s.origin !== "" && !w[COL.origins].some(function (o) { return String(o[0]) === s.origin; })) {
        continue;
      }
      if (src && foldedSources[i].indexOf(src) < 0) { continue; }
      var ok = true;
      for (var k = 0; k < words.length; k++) { if (hay[i].indexOf(words[k]) < 0) { ok = false; break; } }
      if (ok) { out.push(i); }
    }
    var key = {
      year_desc: function (a, b) { return (works[b][COL.year] || 0) - (works[a][COL.year] || 0) || a - b; },
      year_asc: function (a, b) { return (works[a][COL.year] || 9999) - (works[b][COL.year] || 9999) || a - b; },
      title: function (a, b) { return fold(works[a][COL.title]).localeCompare(fold(works[b][COL.title])) || a - b; },
      cited: function (a, b) { return (works[b][COL.cited] || 0) - (works[a][COL.cited] || 0) || a - b; },
      bank: function (a, b) { return a - b; }
    }[s.sort] || function (a, b) { return a - b; };
    return out.sort(key);
  }

  // ---- exports (the same bytes as analysis.vigie.catalogue) ----------------------------------------------------
  var FORMULA = ["=", "+", "-", "@", "\t", "\r"];
  function neutralize(t) { return FORMULA.indexOf(t.charAt(0)) >= 0 ? "'" + t : t; }
  function csvText(v) {
    if (v === null || v === undefined || v === "") { return ""; }
    return "\"" + neutralize(String(v)).replace(/"/g, "\"\"") + "\"";
  }
  function csvNumber(v) { return v === null || v === undefined ? "" : String(v); }
  function csv(ids) {
    var lines = [D.csv_columns.map(function (c) { return csvText(D.csv_headers[c]); }).join(",")];
    ids.forEach(function (i) {
      var w = works[i];
      var row = {work_id: w[COL.id], title: w[COL.title], authors: w[COL.authors].join("; "), year: w[COL.year],
                 source_title: sourceOf(w), doc_type: typeOf(w), language: langOf(w), doi: w[COL.doi],
                 url: doiUrl(w[COL.doi]), themes: themeNames(w).join("; "), origins: origins(w).join("; "),
                 cited_by: w[COL.cited]};
      lines.push(D.csv_columns.map(function (c) {
        return c === "year" || c === "cited_by" ? csvNumber(row[c]) : csvText(row[c]);
      }).join(","));
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  }
  var BIB = {"\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}", "%": "\\%", "&": "\\&",
             "$": "\\$", "#": "\\#", "_": "\\_", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"};
  function bibEscape(v) { return oneLine(v).replace(/[\\{}%&$#_~^]/g, function (c) { return BIB[c]; }); }
  function bibType(docType) {
    var t = fold(oneLine(docType));
    if (t.indexOf("chapter") >= 0) { return "incollection"; }
    if (t.indexOf("conference") >= 0 || t.indexOf("proceeding") >= 0) { return "inproceedings"; }
    if (t.indexOf("book") === 0) { return "book"; }
    var art = ["article", "review", "letter", "editorial", "note", "erratum", "survey"];
    for (var k = 0; k < art.length; k++) { if (t.indexOf(art[k]) >= 0) { return "article"; } }
    return "misc";
  }
  var SOURCE_FIELD = {article: "journal", incollection: "booktitle", inproceedings: "booktitle", misc: "howpublished"};
  function verbatim(t) { return t.replace(/\\/g, "%5C").replace(/\{/g, "%7B").replace(/\}/g, "%7D"); }
  function bibtex(ids) {
    return ids.map(function (i) {
      var w = works[i], kind = bibType(typeOf(w)), f = [["title", bibEscape(w[COL.title])]];
      var names = w[COL.authors].map(bibEscape);
      if (names.length) {
        f.push(["author", names.map(function (n) {
          return n.toLowerCase().indexOf(" and ") >= 0 ? "{" + n + "}" : n;
        }).join(" and ")]);
      }
      if (w[COL.year] !== null) { f.push(["year", String(w[COL.year])]); }
      if (SOURCE_FIELD[kind] && oneLine(sourceOf(w))) { f.push([SOURCE_FIELD[kind], bibEscape(sourceOf(w))]); }
      if (w[COL.doi] && String(w[COL.doi]).trim()) {
        f.push(["doi", verbatim(oneLine(w[COL.doi]))]);
        f.push(["url", verbatim(doiUrl(w[COL.doi]))]);
      }
      if (oneLine(langOf(w))) { f.push(["language", bibEscape(langOf(w))]); }
      if (w[COL.themes].length) { f.push(["keywords", bibEscape(themeNames(w).join(", "))]); }
      if (w[COL.origins].length) { f.push(["note", bibEscape(L.origin_note + " " + origins(w).join("; "))]); }
      return "@" + kind + "{" + w[COL.id] + ",\n" + f.map(function (p) {
        return "  " + p[0] + " = {" + p[1] + "}";
      }).join(",\n") + "\n}\n";
    }).join("\n");
  }
  var RIS_TYPES = {article: "JOUR", incollection: "CHAP", inproceedings: "CPAPER", book: "BOOK", misc: "GEN"};
  function ris(ids) {
    var lines = [];
    function tag(name, v) { var t = oneLine(v); if (t) { lines.push(name + "  - " + t); } }
    ids.forEach(function (i) {
      var w = works[i];
      tag("TY", RIS_TYPES[bibType(typeOf(w))]);
      tag("ID", w[COL.id]);
      tag("TI", w[COL.title]);
      w[COL.authors].forEach(function (a) { tag("AU", a); });
      if (w[COL.year] !== null) { tag("PY", w[COL.year]); }
      tag("T2", sourceOf(w));
      tag("DO", w[COL.doi]);
      tag("UR", doiUrl(w[COL.doi]));
      tag("LA", langOf(w));
      themeNames(w).forEach(function (t) { tag("KW", t); });
      if (w[COL.origins].length) { tag("N1", L.origin_note + " " + origins(w).join("; ")); }
      lines.push("ER  - ");
      lines.push("");
    });
    return lines.join("\r\n");
  }
  var FORMATS = {csv: [csv, "text/csv;charset=utf-8", "csv"], bibtex: [bibtex, "application/x-bibtex;charset=utf-8",
                 "bib"], ris: [ris, "application/x-research-info-systems;charset=utf-8", "ris"]};
  function exportText(format, ids) { return FORMATS[format][0](ids === undefined ? matches : ids); }
  function download(format) {
    var spec = FORMATS[format];
    var blob = new Blob([spec[0](matches)], {type: spec[1]});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = D.file_stem + "." + spec[2];
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  // ---- display -----------------------------------------------------------------------------------------------
  var list = document.getElementById("bank-list"), status = document.getElementById("bank-status");
  var more = document.getElementById("bank-more"), count = document.getElementById("bank-count");
  function authorsLine(w) {
    var a = w[COL.authors];
    if (a.length <= D.max_authors) { return a.join("; "); }
    return a.slice(0, D.max_authors).join("; ") + " " + fill(L.et_al, {n: integer(a.length)});
  }
  function item(i) {
    var w = works[i], li = el("li", "work");
    li.setAttribute("data-id", w[COL.id]);
    li.appendChild(el("p", "w-title", w[COL.title]));
    var meta = [authorsLine(w), w[COL.year] === null ? null : String(w[COL.year]), sourceOf(w), typeOf(w),
                langOf(w)].filter(function (x) { return x; });
    li.appendChild(el("p", "w-meta", meta.join(" · ")));
    var tags = el("p", "w-tags");
    if (w[COL.doi]) {
      var a = el("a", "w-doi", L.doi + " " + w[COL.doi]);
      a.href = doiUrl(w[COL.doi]);
      a.rel = "noopener";
      tags.appendChild(a);
    } else {
      tags.appendChild(el("span", "w-nodoi", L.no_doi));
    }
    var names = themeNames(w);
    var th = el("span", "w-themes");
    th.appendChild(el("span", "w-label", L.themes + L.colon));
    if (names.length) {
      names.forEach(function (n) { th.appendChild(el("span", "chip", n)); });
    } else {
      th.appendChild(el("span", "w-none", L.no_theme));
    }
    tags.appendChild(th);
    var orig = el("span", "w-origins");
    orig.appendChild(el("span", "w-label", L.origins + L.colon));
    orig.appendChild(el("span", "w-files", origins(w).join("; ")));
    tags.appendChild(orig);
    if (w[COL.cited] !== null) { tags.appendChild(el("span", "w-cited", L.cited + L.colon + integer(w[COL.cited]))); }
    li.appendChild(tags);
    return li;
  }
  function render() {
    var frag = document.createDocumentFragment();
    matches.slice(0, shown).forEach(function (i) { frag.appendChild(item(i)); });
    list.replaceChildren(frag);
    var n = Math.min(shown, matches.length);
    status.textContent = matches.length ? fill(L.status, {shown: integer(n), n: integer(matches.length),
                                                          total: integer(works.length)}) : L.none;
    count.textContent = integer(matches.length);
    var rest = Math.min(PAGE, matches.length - n);
    more.hidden = rest <= 0;
    more.textContent = fill(L.more, {n: integer(rest)});
    document.querySelectorAll("button[data-format]").forEach(function (b) { b.disabled = !matches.length; });
  }
  function update() {
    var t0 = performance.now();
    matches = filter(state());
    shown = PAGE;
    render();
    window.vigieBank.lastFilterMs = performance.now() - t0;
  }

  // ---- controls ----------------------------------------------------------------------------------------------
  function option(select, value, text) { var o = el("option", null, text); o.value = value; select.appendChild(o); }
  var f = form.elements;
  var counts = {theme: {}, type: {}, lang: {}, origin: {}};
  var noTheme = 0, noLang = 0, years = [];
  works.forEach(function (w) {
    w[COL.themes].forEach(function (t) { counts.theme[t] = (counts.theme[t] || 0) + 1; });
    if (!w[COL.themes].length) { noTheme++; }
    if (w[COL.type] !== null) { counts.type[w[COL.type]] = (counts.type[w[COL.type]] || 0) + 1; }
    if (w[COL.lang] !== null) { counts.lang[w[COL.lang]] = (counts.lang[w[COL.lang]] || 0) + 1; } else { noLang++; }
    w[COL.origins].map(function (o) { return o[0]; }).filter(function (v, k, a) { return a.indexOf(v) === k; })
      .forEach(function (o) { counts.origin[o] = (counts.origin[o] || 0) + 1; });
    if (w[COL.year] !== null) { years.push(w[COL.year]); }
  });
  function n(x) { return " (" + integer(x) + ")"; }
  D.themes.forEach(function (t, k) { if (counts.theme[k]) { option(f.theme, String(k), t[1] + n(counts.theme[k])); } });
  if (noTheme) { option(f.theme, "__none__", L.no_theme + n(noTheme)); }
  D.types.forEach(function (t, k) { if (counts.type[k]) { option(f.type, String(k), t + n(counts.type[k])); } });
  D.languages.forEach(function (t, k) { if (counts.lang[k]) { option(f.lang, String(k), t + n(counts.lang[k])); } });
  if (noLang) { option(f.lang, "__none__", L.unknown_language + n(noLang)); }
  D.files.forEach(function (t, k) { if (counts.origin[k]) { option(f.origin, String(k), t + n(counts.origin[k])); } });
  var dl = document.getElementById("bank-sources");
  D.sources.forEach(function (s) { var o = document.createElement("option"); o.value = s; dl.appendChild(o); });
  if (years.length) {
    var lo = Math.min.apply(null, years), hi = Math.max.apply(null, years);
    [f.from, f.to].forEach(function (inp) { inp.min = lo; inp.max = hi; });
    f.from.placeholder = String(lo);
    f.to.placeholder = String(hi);
  }
  var timer = null;
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 120); });
  form.addEventListener("change", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  more.addEventListener("click", function () { shown += PAGE; render(); });
  document.querySelectorAll("button[data-format]").forEach(function (b) {
    b.addEventListener("click", function () { download(b.getAttribute("data-format")); });
  });
  window.vigieBank = {filter: filter, exportText: exportText, state: state, update: update, lastFilterMs: null,
                      matches: function () { return matches.map(function (i) { return works[i][COL.id]; }); },
                      indexOf: function (id) { for (var i = 0; i < works.length; i++) { if (works[i][COL.id] === id) {
                        return i; } } return -1; }};
  document.documentElement.classList.add("js");
  update();
}());
