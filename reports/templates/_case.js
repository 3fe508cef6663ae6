{% raw %}
/* impactkit: the business case you can change. The model is ikDet/ikPsa above (generated from the
   model's one definition); this script only reads the form, calls them and writes the numbers. */
(function () {
  "use strict";
  var root = document.getElementById("case");
  var D = JSON.parse(document.getElementById("case-data").textContent);
  var T = D.texts;
  var nIn = D.n_inputs;
  var base = new Float64Array(nIn);
  var meta = {};
  D.inputs.forEach(function (i) { base[i.index] = i.value; meta[i.index] = i; });
  var values = Float64Array.from(base);
  var draws = D.draws.map(function (b64) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    return new Float64Array(bytes.buffer);
  });
  var loc = D.locale;
  var F = {
    money: new Intl.NumberFormat(loc, { style: "currency", currency: "EUR", maximumFractionDigits: 0, minimumFractionDigits: 0 }),
    ratio: new Intl.NumberFormat(loc, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    share: new Intl.NumberFormat(loc, { style: "percent", maximumFractionDigits: 1 }),
    number: new Intl.NumberFormat(loc, { maximumFractionDigits: 1 }),
    months: new Intl.NumberFormat(loc, { maximumFractionDigits: 0 })
  };
  function show(kind, v) {
    if (kind === "months") { return isFinite(v) ? T.case_months.replace("{n}", F.months.format(v)) : T.case_never; }
    if (!isFinite(v)) { return "–"; }
    if (kind === "year") { return String(Math.round(v)); }
    if (kind === "probability") { return F.share.format(v); }
    return (F[kind] || F.number).format(v);
  }
  function put(el, v) {
    el.setAttribute("data-value", String(v));
    el.textContent = show(el.getAttribute("data-fmt"), v);
  }
  function pick(res, path) {
    var parts = path.split("."), v = res[parts[0]];
    for (var i = 1; i < parts.length; i++) { v = v[+parts[i]]; }
    return v;
  }

  // ------------------------------------------------------------------ the form
  var fields = {}, ranges = {};
  root.querySelectorAll("[data-input]").forEach(function (el) { fields[+el.getAttribute("data-input")] = el; });
  root.querySelectorAll("[data-range]").forEach(function (el) { ranges[+el.getAttribute("data-range")] = el; });
  var linkIx = null, fteIx = null;
  D.inputs.forEach(function (i) {
    if (i.key === "case.fte_from_caseload") { linkIx = i.index; }
    if (i.key === "case.coordinator_fte") { fteIx = i.index; }
  });
  function shown(ix, v) {
    var s = v * meta[ix].scale;
    return String(Math.round(s * 1e10) / 1e10);
  }
  function setField(ix) {
    var el = fields[ix];
    if (!el) { return; }
    if (el.type === "checkbox") { el.checked = values[ix] !== 0; return; }
    el.value = shown(ix, values[ix]);
    if (ranges[ix]) { ranges[ix].value = el.value; }
  }
  function fromField(ix, text) {
    var x = parseFloat(String(text).replace(",", "."));
    if (!isFinite(x)) { return; }
    var m = meta[ix];
    if (m.key === "case.years" || m.key === "scenario.horizon") {
      x = Math.min(Math.max(Math.round(x), 1), +fields[ix].max);
    }
    values[ix] = x / m.scale;
  }
  Object.keys(fields).forEach(function (k) {
    var ix = +k, el = fields[ix];
    if (!meta[ix] || !meta[ix].editable) { return; }
    if (el.type === "checkbox") {
      el.addEventListener("change", function () { values[ix] = el.checked ? 1 : 0; update(); });
      return;
    }
    el.addEventListener("input", function () {
      fromField(ix, el.value);
      if (ranges[ix]) { ranges[ix].value = el.value; }
      update();
    });
    el.addEventListener("change", function () { setField(ix); });
    if (ranges[ix]) {
      ranges[ix].addEventListener("input", function () {
        el.value = ranges[ix].value;
        fromField(ix, ranges[ix].value);
        update();
      });
    }
  });
  document.getElementById("case-reset").addEventListener("click", function () {
    values = Float64Array.from(base);
    Object.keys(fields).forEach(function (k) { setField(+k); });
    update();
  });

  // ------------------------------------------------------------------ results
  var last = null, psaTimer = null, psaLast = D.n_draws ? null : {};
  var chartEl = document.getElementById("chart-case");
  function render(res) {
    root.querySelectorAll("[data-out]").forEach(function (el) { put(el, pick(res, el.getAttribute("data-out"))); });
    root.querySelectorAll("tr[data-year]").forEach(function (tr) {
      tr.hidden = res.year_active[+tr.getAttribute("data-year")] === 0;
    });
    if (linkIx !== null && fteIx !== null && fields[fteIx]) {
      var linked = values[linkIx] !== 0;
      fields[fteIx].disabled = linked;
      if (ranges[fteIx]) { ranges[fteIx].disabled = linked; }
      if (linked) { fields[fteIx].value = shown(fteIx, res.fte); if (ranges[fteIx]) { ranges[fteIx].value = fields[fteIx].value; } }
    }
    pocket(res);
    chart(res);
    var changed = 0;
    for (var i = 0; i < nIn; i++) {
      var diff = values[i] !== base[i];
      if (diff) { changed++; }
      var box = fields[i] && fields[i].closest(".case-field");
      if (box) { box.classList.toggle("changed", diff); }
    }
    document.getElementById("case-status").textContent = changed ? T.case_changed.replace("{n}", String(changed)) : T.case_unchanged;
  }
  function pocket(res) {
    var inv = null, sav = null;
    D.payers.forEach(function (p) {
      if (inv === null || res.invests_pv[p.index] > res.invests_pv[inv.index]) { inv = p; }
      if (sav === null || res.saves_pv[p.index] > res.saves_pv[sav.index]) { sav = p; }
    });
    var el = document.getElementById("case-pocket");
    if (!inv || !sav || !(res.saves_pv[sav.index] > 0)) { el.textContent = T.case_pocket_none; return; }
    el.textContent = T.case_pocket.replace("{investor}", inv.label).replace("{invest}", show("money", res.invests_pv[inv.index]))
      .replace("{saver}", sav.label).replace("{save}", show("money", res.saves_pv[sav.index]));
  }
  function chart(res) {
    if (!window.Plotly || !chartEl) { return; }
    var xs = [], inv = [], sav = [], cum = [];
    for (var n = 0; n < D.n_years; n++) {
      if (res.year_active[n] === 0) { continue; }
      xs.push(String(Math.round(res.calendar_year[n])));
      inv.push(-res.invested_total[n]);
      sav.push(res.saved_total[n]);
      cum.push(res.cumulative_total[n]);
    }
    var data = [
      { type: "bar", name: T.case_chart_saved, x: xs, y: sav, marker: { color: "#009E73" } },
      { type: "bar", name: T.case_chart_invested, x: xs, y: inv, marker: { color: "#D55E00" } },
      { type: "scatter", mode: "lines+markers", name: T.case_chart_cumulative, x: xs, y: cum, line: { color: "#0072B2", width: 3 } }
    ];
    var layout = { barmode: "relative", separators: D.separators, margin: { l: 70, r: 10, t: 10, b: 40 },
      legend: { orientation: "h", y: -0.2 }, yaxis: { tickprefix: "€ ", zeroline: true }, xaxis: { type: "category" },
      font: { family: "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif", size: 13 } };
    var config = { displaylogo: false, responsive: true };
    if (chartEl.data) { Plotly.react(chartEl, data, layout, config); } else { Plotly.newPlot(chartEl, data, layout, config); }
  }
  function quantile(sorted, q) {  // numpy's default (linear) quantile, to the last bit
    var n = sorted.length, v = (n - 1) * q, lo = Math.floor(v), hi = Math.min(lo + 1, n - 1), t = v - lo;
    var a = sorted[lo], b = sorted[hi], d = b - a;
    return t >= 0.5 ? b - d * (1 - t) : a + d * t;
  }
  function runPsa() {
    var n = D.n_draws;
    if (!n) { return null; }
    var x = new Float64Array(nIn + draws.length), nets = new Float64Array(n), pos = 0, above = 0;
    x.set(values);
    for (var d = 0; d < n; d++) {
      for (var j = 0; j < draws.length; j++) { x[nIn + j] = draws[j][d]; }
      var r = ikPsa(x);
      nets[d] = r.net;
      if (r.net > 0) { pos++; }
      if (r.bcr > 1) { above++; }
    }
    var sorted = nets.slice().sort();
    var out = { p_net_benefit_positive: pos / n, p_bcr_above_1: above / n,
      net_q025: quantile(sorted, 0.025), net_q975: quantile(sorted, 0.975) };
    root.querySelectorAll("[data-psa]").forEach(function (el) { put(el, out[el.getAttribute("data-psa")]); });
    root.classList.remove("psa-busy");
    psaLast = out;
    return out;
  }
  function update() {
    last = ikDet(values);
    render(last);
    if (D.n_draws) {
      root.classList.add("psa-busy");
      if (psaTimer) { clearTimeout(psaTimer); }
      psaTimer = setTimeout(function () { psaTimer = null; runPsa(); }, 150);
    }
  }
  // for tests and for anyone who wants the numbers: the form's model values and the last results
  window.impactkitCase = {
    values: function () { var o = {}; D.inputs.forEach(function (i) { o[i.key] = values[i.index]; }); return o; },
    result: function () { return last; },
    psa: function () { return psaTimer ? null : psaLast; },
    runPsa: runPsa
  };
  update();
})();
{% endraw %}
