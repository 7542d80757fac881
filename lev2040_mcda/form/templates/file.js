/* The submission file the form makes: YAML (as `lev2040 template` writes it) or JSON, read by
   the engine as any other submission (lev2040_mcda/case/submissions.py), and its download.
   Ids are the case's lower_snake_case ids; only the respondent is free text, written as a
   double-quoted scalar with every character a YAML reader might refuse escaped. */
(function (root) {
  "use strict";

  var RESERVED = /^(y|n|yes|no|true|false|on|off|null)$/i;

  function id(x) {
    return RESERVED.test(x) ? '"' + x + '"' : x;
  }

  /* One line of a comment: no line breaks of any kind, no character a YAML reader refuses. */
  function comment(text) {
    return String(text)
      .replace(/[\u0000-\u001f\u007f-\u00a0\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  }

  function quoted(text) {
    var out = '"';
    for (var k = 0; k < text.length; k++) {
      var c = text.charCodeAt(k);
      var ch = text.charAt(k);
      if (c >= 0xd800 && c <= 0xdbff && k + 1 < text.length) {
        var d = text.charCodeAt(k + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { out += ch + text.charAt(k + 1); k++; continue; }
      }
      if (ch === '"' || ch === "\\") out += "\\" + ch;
      else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029 ||
               c === 0xfeff || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff)) {
        out += "\\u" + ("0000" + c.toString(16)).slice(-4);
      } else out += ch;
    }
    return out + '"';
  }

  function number(x) {
    return String(x);
  }

  /* sub: {group, respondent, method, budget, weights: [[id, v]], ranking: [[ids]],
     judgements: [[a, b, "3" | "1/3"]]}; names: id -> name; heading: the first comment. */
  function yaml(sub, names, heading) {
    var out = ["# " + comment(heading)];
    if (sub.group) out.push("group: " + id(sub.group));
    if (sub.respondent) out.push("respondent: " + quoted(sub.respondent));
    out.push("method: " + sub.method);
    if (sub.budget !== undefined) out.push("budget: " + number(sub.budget));
    if (sub.weights) {
      out.push("weights:");
      sub.weights.forEach(function (w) {
        out.push("  " + id(w[0]) + ": " + number(w[1]) + "   # " + comment(names[w[0]]));
      });
    }
    if (sub.ranking) {
      out.push("ranking:");
      sub.ranking.forEach(function (place) {
        var text = place.length === 1 ? id(place[0]) : "[" + place.map(id).join(", ") + "]";
        var title = place.map(function (x) { return comment(names[x]); }).join(", ");
        out.push("  - " + text + "   # " + title);
      });
    }
    if (sub.judgements) {
      out.push("judgements:");
      sub.judgements.forEach(function (j) {
        out.push("  - [" + id(j[0]) + ", " + id(j[1]) + ", " + j[2] + "]   # " +
                 comment(names[j[0]]) + " / " + comment(names[j[1]]));
      });
    }
    return out.join("\n") + "\n";
  }

  function json(sub) {
    var doc = {};
    if (sub.group) doc.group = sub.group;
    if (sub.respondent) doc.respondent = sub.respondent;
    doc.method = sub.method;
    if (sub.budget !== undefined) doc.budget = sub.budget;
    if (sub.weights) {
      doc.weights = {};
      sub.weights.forEach(function (w) { doc.weights[w[0]] = w[1]; });
    }
    if (sub.ranking) {
      doc.ranking = sub.ranking.map(function (p) { return p.length === 1 ? p[0] : p.slice(); });
    }
    if (sub.judgements) {
      doc.judgements = sub.judgements.map(function (j) {
        return [j[0], j[1], /^[0-9]+$/.test(j[2]) ? Number(j[2]) : j[2]];
      });
    }
    return JSON.stringify(doc, null, 2) + "\n";
  }

  /* A file for the browser to save: made here, from a Blob; nothing is sent anywhere. */
  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  root.LevFile = { yaml: yaml, json: json, download: download, comment: comment, quoted: quoted };
})(window);
