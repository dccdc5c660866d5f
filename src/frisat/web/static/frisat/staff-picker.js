/* The draft form's provision picker, as progressive enhancement (workflow/draft.html).
 * Without this script the form works by round trips: "Find bestemmelse" lists hits,
 * "Tilføj" adds one, "Fjern" removes a row. With it, typing shows suggestions from
 * /forvaltning/bestemmelser.json and choosing one adds a target row in place; "Fjern"
 * removes the row in place. Static file only: the portal's CSP allows no inline script. */
(function () {
  "use strict";

  function init() {
    var form = document.querySelector("form.draft-form");
    if (!form) { return; }
    var input = form.querySelector("#f-q");
    var list = form.querySelector("#picker-suggestions");
    var status = form.querySelector("#picker-status");
    var rows = form.querySelector("#target-rows");
    var template = document.getElementById("target-row-template");
    if (!input || !list || !rows || !template) { return; }
    var url = form.getAttribute("data-suggest");
    var timer = null;
    var asked = 0;
    var active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    function say(text) { if (status) { status.textContent = text; } }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function options() { return list.querySelectorAll("li[role=option]"); }

    function highlight(i) {
      var all = options();
      if (!all.length) { return; }
      active = (i + all.length) % all.length;
      for (var k = 0; k < all.length; k++) {
        all[k].setAttribute("aria-selected", k === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({block: "nearest"});
    }

    function citations() {
      var out = [];
      rows.querySelectorAll(".target-citation-field").forEach(function (f) { out.push(f.value); });
      return out;
    }

    function nextIndex() {
      var max = -1;
      rows.querySelectorAll(".target-citation-field").forEach(function (f) {
        var m = /^targets-(\d+)-citation$/.exec(f.name);
        if (m) { max = Math.max(max, parseInt(m[1], 10)); }
      });
      return max + 1;
    }

    function renumber() {
      rows.querySelectorAll(".target-row").forEach(function (row, k) {
        var n = row.querySelector(".target-number");
        if (n) { n.textContent = "Række " + (k + 1) + ":"; }
      });
    }

    function addRow(citation, text) {
      if (citations().indexOf(citation) >= 0) {
        say(citation + " står allerede på listen.");
        return;
      }
      var i = String(nextIndex());
      var row = template.content.firstElementChild.cloneNode(true);
      [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (el) {
        ["id", "for", "name", "value", "aria-describedby"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v && v.indexOf("__i__") >= 0) { el.setAttribute(attr, v.split("__i__").join(i)); }
        });
      });
      row.setAttribute("data-citation", citation);
      row.querySelector(".target-citation").textContent = citation;
      row.querySelector(".target-citation-field").value = citation;
      row.querySelector(".target-text").textContent = text || "Intet resumé i kataloget";
      var hidden = row.querySelector(".target-remove .sr-only");
      if (hidden) { hidden.textContent = " " + citation; }
      var empty = rows.querySelector(".targets-empty");
      if (empty) { empty.remove(); }
      rows.appendChild(row);
      renumber();
      say("Tilføjet: " + citation + ". Kladden er ikke gemt endnu.");
      var first = row.querySelector("input[type=radio]");
      if (first) { first.focus(); }
    }

    function choose(li) {
      addRow(li.getAttribute("data-citation"), li.getAttribute("data-text"));
      input.value = "";
      close();
    }

    function show(data) {
      list.textContent = "";
      active = -1;
      var hits = data.provisions || [];
      hits.forEach(function (p, k) {
        var li = document.createElement("li");
        li.id = "picker-option-" + k;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-citation", p.citation);
        li.setAttribute("data-text", p.text || "");
        var c = document.createElement("span");
        c.className = "suggestion-citation";
        c.textContent = p.citation;
        li.appendChild(c);
        if (p.text) {
          var t = document.createElement("span");
          t.className = "suggestion-text";
          t.textContent = p.text;
          li.appendChild(t);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(li); });
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
      say(hits.length ? hits.length + (data.more ? " eller flere" : "") +
          " forslag. Brug pil op og ned og Enter for at vælge." : "Ingen bestemmelser fundet.");
    }

    function ask() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(q), {credentials: "same-origin",
                                                   headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {provisions: []}; })
        .then(function (data) { if (mine === asked) { show(data); } })
        .catch(function () { /* the "Find bestemmelse" button still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden;
      if (e.key === "ArrowDown" && open) { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp" && open) { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Escape" && open) { e.preventDefault(); close(); }
      else if (e.key === "Enter" && open && active >= 0) {
        e.preventDefault();
        choose(options()[active]);
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });

    // "Fjern" removes its row in place (without the script it is a round trip)
    rows.addEventListener("click", function (e) {
      var button = e.target.closest("button.target-remove");
      if (!button) { return; }
      e.preventDefault();
      var row = button.closest(".target-row");
      var citation = row.getAttribute("data-citation");
      row.remove();
      renumber();
      say("Fjernet: " + citation + ". Kladden er ikke gemt endnu.");
      input.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
