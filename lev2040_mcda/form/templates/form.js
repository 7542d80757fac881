/* The form: one panel per method for the chosen level, its live checks, and the file.
   Every text of the case is put on the page with textContent, never as markup. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("form-data").textContent);
  var T = D.t;
  var A = window.LevAhp;
  var F = window.LevFile;
  var $ = function (x) { return document.getElementById(x); };
  var panel = $("panel");
  var status = $("status");
  var numbers = {};  // level:method -> {id: text}
  var anchors = {};  // level -> id of the swing at 100
  var orders = {};   // level -> [{id, tie}]
  var pairs = {};    // level -> {"i:j": slider position}

  function fmt(s, o) {
    return String(s).replace(/\{(\w+)\}/g, function (m, k) { return k in o ? String(o[k]) : m; });
  }
  function dec(x, digits) {
    var s = Number(x).toFixed(digits);
    return D.lang === "de" ? s.replace(".", ",") : s;
  }
  function shown(x) {
    var s = String(Math.round(x * 1e6) / 1e6);
    return D.lang === "de" ? s.replace(".", ",") : s;
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function level() {
    var r = document.querySelector("input[name=level]:checked");
    return r ? r.value : D.level;
  }
  function method() { return document.querySelector("input[name=method]:checked").value; }
  function items() { return D.levels[level()]; }
  function names() {
    var out = {};
    items().forEach(function (it) { out[it.id] = it.name; });
    return out;
  }
  function say(text, cls) { status.textContent = text || ""; status.className = cls || ""; }

  function describe(it) {
    var box = el("div", { class: "text" });
    box.appendChild(el("div", { class: "name", id: "name-" + it.id }, it.name + (it.unit ? " [" + it.unit + "]" : "")));
    var meta = [];
    if (it.description) meta.push(it.description);
    if (it.direction) meta.push(fmt(T.better, { better: T["better." + it.direction] }));
    if (it.goal) meta.push(fmt(T["goal.of"], { goal: it.goal }));
    if (it.criteria && it.criteria.length) meta.push(fmt(T["criteria.of"], { criteria: it.criteria.join(", ") }));
    if (meta.length) box.appendChild(el("div", { class: "meta", id: "meta-" + it.id }, meta.join(" · ")));
    return box;
  }

  /* -- points, direct, swing: a number per item ------------------------------------------ */
  function valueOf(text) {
    var t = String(text === undefined ? "" : text).trim().replace(",", ".");
    return t === "" ? 0 : Number(t);
  }
  function numberPanel(m) {
    var key = level() + ":" + m;
    var vals = numbers[key] = numbers[key] || {};
    if (m === "points") panel.appendChild(el("p", { class: "hint" }, T["help.points"]));
    if (m === "direct") panel.appendChild(el("p", { class: "hint" }, T["help.direct"]));
    if (m === "swing") {
      panel.appendChild(el("p", { class: "hint" }, T["help.swing"]));
      var lab = el("label", { for: "swing-anchor" }, T["swing.anchor"]);
      var sel = el("select", { id: "swing-anchor" });
      items().forEach(function (it) { sel.appendChild(el("option", { value: it.id }, it.name)); });
      anchors[level()] = anchors[level()] || items()[0].id;
      sel.value = anchors[level()];
      sel.addEventListener("change", function () { anchors[level()] = sel.value; render(); });
      panel.appendChild(lab);
      panel.appendChild(sel);
    }
    items().forEach(function (it) {
      var row = el("div", { class: "item" });
      var text = describe(it);
      var input = el("input", { type: "number", id: "v-" + it.id, min: "0", step: "any", inputmode: "decimal",
                                "aria-describedby": "meta-" + it.id + " share-" + it.id });
      var label = el("label", { for: "v-" + it.id, class: "name" }, text.firstChild.textContent);
      text.replaceChild(label, text.firstChild);
      if (m === "swing") {
        input.max = "100";
        var anchor = anchors[level()] === it.id;
        var q = it.direction === undefined ? T["swing.question.goal"] :
          (it.worst !== null && it.best !== null ? T["swing.question.criterion"] : T["swing.question.range"]);
        var unit = it.unit ? " " + it.unit : "";
        text.insertBefore(el("div", { class: "question" }, anchor ? T["swing.anchor.value"] :
          fmt(q, { name: it.name, worst: shown(it.worst) + unit, best: shown(it.best) + unit })), label.nextSibling);
        if (anchor) { vals[it.id] = "100"; input.readOnly = true; }
      }
      input.value = vals[it.id] === undefined ? "" : vals[it.id];
      input.addEventListener("input", function () { vals[it.id] = input.value; update(); });
      var value = el("div", { class: "value" });
      value.appendChild(input);
      value.appendChild(el("output", { id: "share-" + it.id, for: "v-" + it.id }));
      row.appendChild(text);
      row.appendChild(value);
      panel.appendChild(row);
    });
  }
  function numberCheck(m) {
    var vals = numbers[level() + ":" + m] || {};
    var errors = [];
    var total = 0;
    var list = items().map(function (it) {
      var x = valueOf(vals[it.id]);
      var top = m === "swing" ? 100 : Infinity;
      if (!isFinite(x) || x < 0 || x > top) {
        errors.push(fmt(T["error.number"], { name: it.name, value: vals[it.id],
          expected: T[m === "swing" ? "expected.swing" : "expected.number"] }));
        x = 0;
      }
      total += x;
      return [it.id, x];
    });
    return { list: list, total: total, errors: errors };
  }
  function numberUpdate(m) {
    var c = numberCheck(m);
    c.list.forEach(function (p) {
      var out = $("share-" + p[0]);
      if (out) out.textContent = c.total > 0 ? fmt(T.share, { share: dec(100 * p[1] / c.total, 1) }) : "";
    });
    if (c.errors.length) return say(c.errors[0], "warn");
    if (m === "points") {
      var b = D.budget;
      var left = b - c.total;
      if (Math.abs(left) <= 1e-6 * b) return say(fmt(T["points.ok"], { budget: b }), "ok");
      if (left < 0) return say(fmt(T["points.over"], { over: shown(-left), total: shown(c.total), budget: b }), "warn");
      if (c.total === 0) return say(fmt(T["points.left"], { left: b, budget: b }), "");
      return say(fmt(T["points.under"], { total: shown(c.total), budget: b, left: shown(left) }), "warn");
    }
    say(fmt(T["direct.status"], { total: shown(c.total) }), "");
  }

  /* -- ranking: an ordered list, ties allowed ---------------------------------------------- */
  function order() {
    var lv = level();
    orders[lv] = orders[lv] || items().map(function (it) { return { id: it.id, tie: false }; });
    return orders[lv];
  }
  function move(k, by, focus) {
    var o = order();
    var to = k + by;
    if (to < 0 || to >= o.length) return;
    var x = o.splice(k, 1)[0];
    o.splice(to, 0, x);
    o[0].tie = false;
    render();
    var li = panel.querySelector("li[data-id=" + x.id + "]");
    if (li && focus) li.focus();
    say(fmt(T["ranking.moved"], { name: names()[x.id], place: places()[to] }), "");
  }
  function places() {
    var out = [];
    var place = 0;
    order().forEach(function (x, k) {
      if (k === 0 || !x.tie) place = k + 1;
      out.push(place);
    });
    return out;
  }
  function rankingPanel() {
    panel.appendChild(el("p", { class: "hint", id: "ranking-help" }, T["ranking.help"]));
    var list = el("ol", { class: "ranking", id: "ranking", "aria-describedby": "ranking-help" });
    var nm = names();
    var pl = places();
    var dragged = null;
    order().forEach(function (x, k) {
      var li = el("li", { tabindex: "0", draggable: "true", "data-id": x.id,
                          "aria-label": fmt(T["ranking.place"], { place: pl[k] }) + ": " + nm[x.id] });
      if (x.tie && k > 0) li.className = "tied";
      li.appendChild(el("span", { class: "place" }, fmt(T["ranking.place"], { place: pl[k] })));
      li.appendChild(el("span", { class: "name" }, nm[x.id]));
      var tie = el("label", { class: "tie" });
      var box = el("input", { type: "checkbox", id: "tie-" + x.id });
      box.checked = k > 0 && x.tie;
      box.disabled = k === 0;
      box.addEventListener("change", function () { x.tie = box.checked; render(); $("tie-" + x.id).focus(); });
      tie.appendChild(box);
      tie.appendChild(document.createTextNode(" " + T["ranking.tie"]));
      li.appendChild(tie);
      var up = el("button", { type: "button", id: "up-" + x.id, "aria-label": fmt(T["ranking.up"], { name: nm[x.id] }) }, "↑");
      var down = el("button", { type: "button", id: "down-" + x.id, "aria-label": fmt(T["ranking.down"], { name: nm[x.id] }) }, "↓");
      up.disabled = k === 0;
      down.disabled = k === order().length - 1;
      up.addEventListener("click", function () { move(k, -1); var b = $("up-" + x.id); if (b) (b.disabled ? li : b).focus(); });
      down.addEventListener("click", function () { move(k, 1); var b = $("down-" + x.id); if (b) (b.disabled ? li : b).focus(); });
      li.appendChild(up);
      li.appendChild(down);
      li.addEventListener("keydown", function (e) {
        if (e.target !== li) return;
        if (e.key === "ArrowUp" || e.key === "ArrowDown") {
          e.preventDefault();
          move(k, e.key === "ArrowUp" ? -1 : 1, true);
        }
      });
      li.addEventListener("dragstart", function (e) { dragged = k; li.classList.add("dragging"); e.dataTransfer.setData("text/plain", x.id); });
      li.addEventListener("dragend", function () { li.classList.remove("dragging"); });
      li.addEventListener("dragover", function (e) { e.preventDefault(); });
      li.addEventListener("drop", function (e) { e.preventDefault(); if (dragged !== null && dragged !== k) move(dragged, k - dragged); });
      list.appendChild(li);
    });
    panel.appendChild(list);
  }
  function rankingPlaces() {
    var out = [];
    order().forEach(function (x, k) {
      if (k > 0 && x.tie) out[out.length - 1].push(x.id);
      else out.push([x.id]);
    });
    return out;
  }

  /* -- pairwise: a Saaty slider per pair, the consistency ratio live ------------------------ */
  function pairPanel() {
    panel.appendChild(el("p", { class: "hint" }, T["pairwise.help"]));
    var crBox = el("div", { id: "cr-box", role: "status", "aria-live": "polite" });
    crBox.appendChild(el("p", { id: "cr" }));
    crBox.appendChild(el("p", { id: "cr-note" }));
    var worst = el("p", { id: "cr-worst" });
    crBox.appendChild(worst);
    var go = el("button", { type: "button", id: "cr-goto" }, T["cr.goto"]);
    go.addEventListener("click", function () { var s = $("pair-" + go.dataset.pair); if (s) s.focus(); });
    crBox.appendChild(go);
    panel.appendChild(crBox);
    var its = items();
    var pos = pairs[level()] = pairs[level()] || {};
    its.forEach(function (a, i) {
      its.forEach(function (b, j) {
        if (j <= i) return;
        var key = i + "-" + j;
        var row = el("div", { class: "pair", id: "row-" + key });
        var ends = el("div", { class: "ends", "aria-hidden": "true" });
        ends.appendChild(el("span", {}, fmt(T["pair.left"], { name: a.name })));
        ends.appendChild(el("span", {}, fmt(T["pair.right"], { name: b.name })));
        var s = el("input", { type: "range", id: "pair-" + key, min: "-8", max: "8", step: "1",
                              "data-a": a.id, "data-b": b.id, "aria-label": fmt(T["pair.label"], { a: a.name, b: b.name }) });
        s.value = String(pos[key] || 0);
        var out = el("output", { id: "out-" + key, for: "pair-" + key });
        s.addEventListener("input", function () { pos[key] = Number(s.value); update(); });
        row.appendChild(ends);
        row.appendChild(s);
        row.appendChild(out);
        panel.appendChild(row);
      });
    });
  }
  function said(a, b, v) {
    if (v === 1) return T["pair.equal"];
    return v > 1 ? fmt(T["pair.more"], { a: a, b: b, v: A.saatyText(v) }) : fmt(T["pair.more"], { a: b, b: a, v: A.saatyText(1 / v) });
  }
  function judgements() {
    var its = items();
    var pos = pairs[level()] || {};
    var out = [];
    its.forEach(function (a, i) {
      its.forEach(function (b, j) { if (j > i) out.push([i, j, A.saaty(pos[i + "-" + j] || 0)]); });
    });
    return out;
  }
  function pairUpdate() {
    var its = items();
    var js = judgements();
    js.forEach(function (jd) {
      var s = $("pair-" + jd[0] + "-" + jd[1]);
      var text = said(its[jd[0]].name, its[jd[1]].name, jd[2]);
      $("out-" + jd[0] + "-" + jd[1]).textContent = text;
      s.setAttribute("aria-valuetext", text);
      $("row-" + jd[0] + "-" + jd[1]).classList.remove("worst");
    });
    var m = A.matrix(its.length, js);
    var r = A.ahp(m, D.ri);
    var box = $("cr-box");
    box.dataset.cr = String(r.cr);
    box.dataset.weights = JSON.stringify(r.weights);
    $("cr").textContent = fmt(T.cr, { cr: dec(r.cr, 3) });
    var high = r.cr > D.cr_limit;
    box.className = high ? "high" : "";
    $("cr-note").textContent = fmt(T[high ? "cr.high" : "cr.ok"], { limit: dec(D.cr_limit, 2) });
    var w = A.worstPair(m, r.weights);
    var worst = $("cr-worst");
    var go = $("cr-goto");
    worst.textContent = "";
    go.hidden = true;
    if (high && w) {
      var a = its[w.i].name;
      var b = its[w.j].name;
      worst.dataset.a = its[w.i].id;
      worst.dataset.b = its[w.j].id;
      worst.textContent = fmt(T["cr.worst"], { a: a, b: b, said: said(a, b, w.said), implied: said(a, b, Math.round(w.implied * 10) / 10) });
      $("row-" + w.i + "-" + w.j).classList.add("worst");
      go.dataset.pair = w.i + "-" + w.j;
      go.hidden = false;
    }
    say("", "");
  }

  /* -- the page --------------------------------------------------------------------------- */
  function update() {
    var m = method();
    if (m === "ranking") return say("", "");
    if (m === "pairwise") return pairUpdate();
    numberUpdate(m);
  }
  function render() {
    panel.textContent = "";
    var m = method();
    var pw = document.querySelector("input[name=method][value=pairwise]");
    pw.disabled = items().length < 2;
    panel.appendChild(el("h2", {}, T["method." + m] + " – " + T["level." + level()]));
    if (m === "ranking") rankingPanel();
    else if (m === "pairwise") pairPanel();
    else numberPanel(m);
    update();
  }
  function submission() {
    var m = method();
    var group = $("group") ? $("group").value : "";
    if (D.groups.length && !group) return { error: T["error.group"] };
    var sub = { group: group || null, respondent: $("respondent").value.trim() || null, method: m };
    if (m === "ranking") sub.ranking = rankingPlaces();
    else if (m === "pairwise") {
      var its = items();
      sub.judgements = judgements().map(function (j) { return [its[j[0]].id, its[j[1]].id, A.saatyText(j[2])]; });
    } else {
      var c = numberCheck(m);
      if (c.errors.length) return { error: c.errors[0] };
      if (!(c.total > 0)) return { error: T["error.zero"] };
      if (m === "points" && Math.abs(c.total - D.budget) > 1e-6 * D.budget) {
        return { error: fmt(T["error.points"], { total: shown(c.total), budget: D.budget }) };
      }
      if (m === "points") sub.budget = D.budget;
      sub.weights = c.list;
    }
    return { sub: sub };
  }
  function create() {
    var msg = $("message");
    var made = submission();
    var result = $("result");
    if (made.error) {
      msg.textContent = made.error;
      msg.className = "error";
      result.value = "";
      return;
    }
    var json = document.querySelector("input[name=format]:checked").value === "json";
    var heading = D.case.title + " – " + T["method." + made.sub.method] + " – " + T["level." + level()];
    var text = json ? F.json(made.sub) : F.yaml(made.sub, names(), heading);
    var file = (made.sub.group || "submission") + "-" + made.sub.method + (json ? ".json" : ".yaml");
    result.value = text;
    result.dataset.file = file;
    F.download(file, text, json ? "application/json" : "application/yaml");
    msg.textContent = fmt(T.saved, { file: file });
    msg.className = "done";
  }

  document.querySelectorAll("input[name=level], input[name=method]").forEach(function (r) {
    r.addEventListener("change", function () { $("message").textContent = ""; render(); });
  });
  $("create").addEventListener("click", create);
  $("form").addEventListener("submit", function (e) { e.preventDefault(); });
  render();
})();
