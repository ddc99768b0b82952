// The live page: polls the bounded summary at /v1/live once a second and draws it.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  let films = false;
  let latestById = {};
  let latestKey = '';

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function pct(p) { return (100 * p).toFixed(1) + '%'; }
  function fmt(n, d) { return n === null || n === undefined ? '–' : Number(n).toFixed(d); }

  function chart(canvas, values, color, label) {
    const ctx = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height, pad = 22;
    ctx.clearRect(0, 0, w, h);
    const max = Math.max(1, ...values);
    ctx.strokeStyle = '#ddd'; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(pad, h - pad); ctx.lineTo(w, h - pad); ctx.stroke();
    ctx.fillStyle = '#6b7385'; ctx.font = '11px sans-serif';
    ctx.fillText(label + ' (max ' + Math.round(max) + ')', pad + 4, 12);
    ctx.fillText('-5 min', pad, h - 6); ctx.fillText('now', w - 26, h - 6);
    ctx.strokeStyle = color; ctx.lineWidth = 1.5; ctx.beginPath();
    const step = (w - pad) / Math.max(1, values.length - 1);
    values.forEach((v, i) => {
      const x = pad + i * step, y = h - pad - (h - pad - 18) * (v / max);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }

  function renderModel(s) {
    const m = s.model || {};
    const dl = $('model'); dl.textContent = '';
    [['model', m.model_id], ['bundle', m.bundle], ['kind', m.kind],
     ['test accuracy', m.test_accuracy === null || m.test_accuracy === undefined ? '–' : pct(m.test_accuracy)],
     ['embedder', m.embedder_id || 'none'], ['device', m.device], ['threads', m.threads],
     ['state', s.state]].forEach(([k, v]) => {
      const d = el('div'); d.appendChild(el('dt', {}, k)); d.appendChild(el('dd', {}, v === undefined || v === null ? '–' : v)); dl.appendChild(d);
    });
    const st = $('status');
    st.textContent = s.ready ? 'ready' : s.state.toLowerCase();
    st.className = 'pill ' + (s.ready ? 'ready' : 'down');
  }

  function renderCounters(s) {
    const last = s.seconds.slice(-10);
    const n = last.reduce((a, b) => a + b.scored, 0);
    const lat = last.reduce((a, b) => a + b.latency_mean_ms * b.scored, 0);
    const bat = last.reduce((a, b) => a + b.batch_mean * b.scored, 0);
    $('scored').textContent = s.scored;
    $('rate').textContent = (n / 10).toFixed(1);
    $('latency').textContent = n ? (lat / n).toFixed(0) : '–';
    $('batch').textContent = n ? (bat / n).toFixed(1) : '–';
    $('pending').textContent = s.pending;
    $('lag').textContent = Math.round(s.consumer_lag);
    $('dead').textContent = s.dead_letters;
    chart($('chart-rate'), s.seconds.map((x) => x.scored), '#2f6fd6', 'reviews scored per second');
    chart($('chart-latency'), s.seconds.map((x) => x.latency_mean_ms), '#d98a1c', 'latency ms (mean per second)');
  }

  function renderLatest(s) {
    const key = s.latest.map((r) => r.review_id).join('\n');
    if (key === latestKey) return;
    latestKey = key;
    const body = $('latest').querySelector('tbody');
    body.textContent = '';
    latestById = {};
    s.latest.forEach((r) => {
      latestById[r.review_id] = r;
      const tr = el('tr', { 'data-review': r.review_id });
      const t = el('td', { class: 'excerpt', title: r.text }, r.text ? r.text.slice(0, 160) : r.review_id);
      tr.appendChild(t);
      tr.appendChild(el('td', { class: r.label }, r.label));
      tr.appendChild(el('td', {}, pct(r.probability)));
      tr.appendChild(el('td', {}, r.stars === null ? '–' : r.stars));
      tr.appendChild(el('td', {}, r.film_id || '–'));
      tr.appendChild(el('td', {}, r.latency_ms + ' ms'));
      tr.addEventListener('click', () => showDetail(r.review_id));
      body.appendChild(tr);
    });
  }

  function showDetail(id) {
    const r = latestById[id];
    const d = $('detail');
    d.hidden = false; d.textContent = '';
    d.appendChild(el('pre', {}, JSON.stringify(r, null, 2)));
    if (!films) {
      d.appendChild(el('p', { class: 'muted' }, 'No film encoder in this instance: no nearest films.'));
      return;
    }
    const p = el('p', { class: 'muted' }, 'Nearest films to this review…'); d.appendChild(p);
    fetch('/reviews/' + encodeURIComponent(id) + '/films?k=5').then((res) => res.json().then((j) => [res, j]))
      .then(([res, j]) => {
        if (!res.ok) { p.textContent = 'Nearest films: ' + (j.error || res.status); return; }
        p.textContent = 'Nearest films: ' + j.films.map((n) => (n.title || n.film_id) + ' (' + n.score.toFixed(2) + ')').join(', ');
      }).catch((e) => { p.textContent = 'Nearest films: ' + e; });
  }

  function filmRows(table, rows) {
    const body = table.querySelector('tbody'); body.textContent = '';
    if (!rows.length) { const tr = el('tr'); tr.appendChild(el('td', { class: 'muted' }, 'no film scored yet')); body.appendChild(tr); return; }
    rows.forEach((f) => {
      const tr = el('tr');
      tr.appendChild(el('td', {}, f.film_id));
      tr.appendChild(el('td', {}, pct(f.positive_share) + ' positive'));
      tr.appendChild(el('td', {}, f.count + ' reviews'));
      body.appendChild(tr);
    });
  }

  function renderReasons(s) {
    const box = $('reasons');
    box.textContent = '';
    if (!s.reasons.length) { box.appendChild(el('p', { class: 'muted' }, 'none so far')); return; }
    s.reasons.forEach((r) => {
      const d = el('div', { class: 'reason' });
      const h = el('div'); h.appendChild(el('b', {}, r.stage + '/' + r.code)); h.appendChild(document.createTextNode(' × ' + r.count));
      d.appendChild(h);
      d.appendChild(el('div', { class: 'muted' }, r.meaning));
      const ul = el('ul');
      r.latest.forEach((l) => ul.appendChild(el('li', {}, l.reason + ' — ' + l.topic + '[' + l.partition + ']@' + l.offset)));
      d.appendChild(ul);
      box.appendChild(d);
    });
  }

  function tick() {
    fetch('/v1/live', { cache: 'no-store' }).then((r) => r.json()).then((s) => {
      films = s.films;
      renderModel(s); renderCounters(s); renderLatest(s); renderReasons(s);
      filmRows($('most'), s.most_liked); filmRows($('least'), s.least_liked);
    }).catch(() => { const st = $('status'); st.textContent = 'no answer'; st.className = 'pill down'; })
      .finally(() => setTimeout(tick, 1000));
  }

  $('films-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('films-q').value.trim();
    const out = $('films-result'); out.textContent = '';
    if (!q) return;
    fetch('/films/similar?k=5&text=' + encodeURIComponent(q)).then((res) => res.json().then((j) => [res, j]))
      .then(([res, j]) => {
        if (!res.ok) { out.appendChild(el('li', { class: 'error' }, j.error || ('HTTP ' + res.status))); return; }
        j.films.forEach((n) => out.appendChild(el('li', { class: 'film' }, (n.title || n.film_id) + (n.year ? ' (' + n.year + ')' : '') + ' — ' + n.score.toFixed(2))));
      }).catch((err) => out.appendChild(el('li', { class: 'error' }, String(err))));
  });

  $('score-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const out = $('score-result'); out.textContent = '';
    fetch('/v1/score', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: $('score-text').value }) })
      .then((res) => res.json().then((j) => [res, j]))
      .then(([res, j]) => {
        if (!res.ok) { out.appendChild(el('p', { class: 'error' }, j.error)); return; }
        const p = el('p'); p.appendChild(el('span', { class: j.label, id: 'score-label' }, j.label));
        p.appendChild(document.createTextNode(' ' + pct(j.probability) + (j.stars ? ', ' + j.stars + ' stars' : '') + ' — ' + j.model));
        out.appendChild(p);
      }).catch((err) => out.appendChild(el('p', { class: 'error' }, String(err))));
  });

  tick();
})();
