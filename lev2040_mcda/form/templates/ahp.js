/* The AHP arithmetic of the form, as lev2040_mcda/weights/elicit.py does it: the priorities are
   the principal eigenvector of the (complete, reciprocal) judgement matrix, lambda_max its
   eigenvalue, CI = max(0, (lambda_max - n) / (n - 1)) and CR = CI / RI with the engine's random
   index table (passed in from the case's data, so it is the engine's table by construction).
   The eigenvector is found by the power method: a judgement matrix is positive, so its Perron
   eigenvalue is simple and dominant, and the iteration converges to the vector numpy's eig
   returns (normalised to sum 1). */
(function (root) {
  "use strict";

  /* A slider position -8..8 as a judgement "a over b": left (negative) favours a. */
  function saaty(position) {
    var p = Math.round(Number(position));
    return p <= 0 ? 1 - p : 1 / (1 + p);
  }

  /* A judgement as the engine reads it: 3, or "1/3". */
  function saatyText(v) {
    return v >= 1 ? String(Math.round(v)) : "1/" + String(Math.round(1 / v));
  }

  function matrix(n, judgements) {
    var m = [];
    for (var i = 0; i < n; i++) {
      m.push([]);
      for (var j = 0; j < n; j++) m[i].push(1);
    }
    judgements.forEach(function (jd) {
      m[jd[0]][jd[1]] = jd[2];
      m[jd[1]][jd[0]] = 1 / jd[2];
    });
    return m;
  }

  function multiply(m, w) {
    return m.map(function (row) {
      var s = 0;
      for (var j = 0; j < row.length; j++) s += row[j] * w[j];
      return s;
    });
  }

  function sum(v) {
    var s = 0;
    for (var i = 0; i < v.length; i++) s += v[i];
    return s;
  }

  /* Priorities, lambda_max, CI and CR of a complete n-by-n matrix; ri: {n: RI}. */
  function ahp(m, ri) {
    var n = m.length;
    var w = [];
    for (var i = 0; i < n; i++) w.push(1 / n);
    var lam = n;
    for (var it = 0; it < 5000; it++) {
      var v = multiply(m, w);
      var s = sum(v);
      var next = v.map(function (x) { return x / s; });
      var change = 0;
      for (var k = 0; k < n; k++) change = Math.max(change, Math.abs(next[k] - w[k]));
      w = next;
      lam = s;
      if (change < 1e-15) break;
    }
    lam = sum(multiply(m, w)) / sum(w);
    var ci = n > 1 ? Math.max((lam - n) / (n - 1), 0) : 0;
    var r = Number(ri[String(n)] || 0);
    return { weights: w, lambda: lam, ci: ci, cr: r > 0 ? ci / r : 0, ri: r };
  }

  /* The judgement that contributes most to the inconsistency: the pair (i, j) whose judgement
     m[i][j] is furthest, on a log scale, from the ratio w_i / w_j of the priorities. */
  function worstPair(m, w) {
    var best = null;
    for (var i = 0; i < m.length; i++) {
      for (var j = i + 1; j < m.length; j++) {
        var dev = Math.abs(Math.log(m[i][j] * w[j] / w[i]));
        if (best === null || dev > best.deviation + 1e-12) {
          best = { i: i, j: j, deviation: dev, said: m[i][j], implied: w[i] / w[j] };
        }
      }
    }
    return best;
  }

  root.LevAhp = { saaty: saaty, saatyText: saatyText, matrix: matrix, ahp: ahp, worstPair: worstPair };
})(window);
