/* Money flows: a Sankey of a year's reallocations and carry-overs (line to line); a line's trail on click. */
'use strict';
(async () => {
  const { t, el, api, amount, cents, decimal, setParams } = Etat;
  await Etat.header('flows');
  const box = document.getElementById('sankey');
  const tableBox = document.getElementById('flows-table');
  const trailBox = document.getElementById('trail');
  const kpis = document.getElementById('kpis');
  const chartsLoaded = Etat.charts(); // in parallel with the data
  let chart = null;
  async function sankey() {
    const echarts = await chartsLoaded;
    if (!chart) {
      chart = echarts.init(box, null, { renderer: 'canvas' });
      window.addEventListener('resize', () => chart.resize());
    }
    return chart;
  }

  const year = await Etat.yearSelect(document.getElementById('year'), (y) => { setParams({ year: y }); render(y); });

  /** True when the pair graph has a cycle (ECharts draws a Sankey only for acyclic graphs). */
  function cyclic(links) {
    const next = new Map();
    links.forEach((l) => { if (!next.has(l.source)) next.set(l.source, []); next.get(l.source).push(l.target); });
    const state = new Map();
    const visit = (n) => {
      if (state.get(n) === 1) return true;
      if (state.get(n) === 2) return false;
      state.set(n, 1);
      for (const m of next.get(n) || []) if (visit(m)) return true;
      state.set(n, 2);
      return false;
    };
    return [...next.keys()].some(visit);
  }

  async function render(y) {
    try {
      const [moves, carriedOut, carriedIn] = await Promise.all([api(`/api/v1/years/${y}/reallocations`),
        api(`/api/v1/years/${y}/carry-overs`), api(`/api/v1/years/${y - 1}/carry-overs`)]);
      const flows = [
        ...moves.map((m) => ({ kind: 'reallocation', from: m.fromLineId, to: m.toLineId, amount: m.amount, date: m.effectiveDate,
          basis: [m.legalBasisKind, m.legalBasisReference].filter(Boolean).join(' '), justification: m.justification, reversed: m.reversed })),
        ...carriedIn.concat(carriedOut).map((c) => ({ kind: 'carryOver', from: c.fromLineId, to: c.toLineId, amount: c.amount, date: null,
          basis: c.consentReference, justification: null, reversed: c.reversed })),
      ];
      // Net per pair (reversed moves left out), then per node in and out, all in BigInt cents.
      const pairs = new Map();
      for (const f of flows.filter((x) => !x.reversed)) {
        const key = f.from + '>' + f.to;
        const back = f.to + '>' + f.from;
        if (pairs.has(back)) { pairs.get(back).cents -= cents(f.amount); continue; }
        if (!pairs.has(key)) pairs.set(key, { source: f.from, target: f.to, cents: 0n, kinds: new Set() });
        pairs.get(key).cents += cents(f.amount);
        pairs.get(key).kinds.add(f.kind);
      }
      const links = [];
      for (const p of pairs.values()) {
        if (p.cents === 0n) continue;
        const forward = p.cents > 0n;
        links.push({ source: forward ? p.source : p.target, target: forward ? p.target : p.source, cents: forward ? p.cents : -p.cents,
          kind: [...p.kinds].join('+') });
      }
      const nodes = new Map();
      const node = (n) => { if (!nodes.has(n)) nodes.set(n, { out: 0n, in: 0n }); return nodes.get(n); };
      links.forEach((l) => { node(l.source).out += l.cents; node(l.target).in += l.cents; });
      const largest = [...nodes.entries()].sort((a, b) => (b[1].out > a[1].out ? 1 : b[1].out < a[1].out ? -1 : 0))[0];
      kpis.replaceChildren(largest && largest[1].out > 0n ? el('div', { class: 'kpi', id: 'largest-outflow' },
        el('div', { class: 'label' }, t('largest')),
        el('div', { class: 'big' }, amount(decimal(largest[1].out))),
        el('div', {}, el('button', { type: 'button', class: 'link', onclick: () => trail(largest[0]) }, largest[0]))) : el('p', {}, t('noFlows')));

      // The table first: it needs no chart library.
      tableBox.replaceChildren(flows.length ? Etat.table([
        { label: t('from'), render: (f) => el('button', { type: 'button', class: 'link', onclick: () => trail(f.from) }, f.from) },
        { label: t('to'), render: (f) => el('button', { type: 'button', class: 'link', onclick: () => trail(f.to) }, f.to) },
        { label: t('type'), render: (f) => t(f.kind) + (f.reversed ? ' (' + t('reversed') + ')' : '') },
        { label: t('amount'), numeric: true, render: (f) => amount(f.amount) },
        { label: t('date'), render: (f) => f.date || '–' },
        { label: t('legalBasis'), render: (f) => f.basis || '–' },
        { label: t('justification'), render: (f) => f.justification || '–' },
      ], flows, { id: 'flows-list', caption: t('sankey') + ' ' + y }) : el('p', {}, t('noFlows')));
      if (links.length && !cyclic(links)) {
        box.hidden = false;
        const chart = await sankey();
        chart.setOption({
          animation: false,
          aria: { enabled: true },
          tooltip: { trigger: 'item', formatter: (p) => p.dataType === 'edge'
            ? `${p.data.source} → ${p.data.target}<br>${amount(p.data.amount)} (${p.data.kinds.map(t).join(', ')})`
            : `${p.data.name}<br>${t('out')}: ${amount(p.data.outflow)}<br>${t('in')}: ${amount(p.data.inflow)}` },
          series: [{
            type: 'sankey', left: 8, right: 160, top: 16, bottom: 16, nodeGap: 18, draggable: false, emphasis: { focus: 'adjacency' },
            lineStyle: { color: 'gradient', opacity: 0.45 },
            label: { color: '#1a1a1a', fontSize: 12, lineHeight: 16,
              formatter: (p) => `${p.data.name}\n${p.data.outflow !== '0.00' ? t('out') + ' ' + amount(p.data.outflow) : t('in') + ' ' + amount(p.data.inflow)}` },
            data: [...nodes.entries()].map(([name, v]) => ({ name, outflow: decimal(v.out), inflow: decimal(v.in) })),
            links: links.map((l) => ({ source: l.source, target: l.target, value: Etat.chartNumber(decimal(l.cents)), amount: decimal(l.cents),
              kinds: l.kind.split('+') })),
          }],
        }, true);
        chart.off('click');
        chart.on('click', (p) => { if (p.dataType === 'node') trail(p.data.name); });
      } else {
        if (chart) chart.clear();
        box.hidden = true;
        if (links.length) tableBox.before(el('p', { class: 'msg' }, t('cycle')));
      }
      Etat.rendered();
    } catch (e) {
      Etat.showError(tableBox, e);
    }
  }

  async function trail(lineId) {
    document.getElementById('trail-line').textContent = lineId;
    trailBox.replaceChildren(el('p', {}, t('loading')));
    try {
      const tr = await api(`/api/v1/lines/${encodeURIComponent(lineId)}/trail`);
      const byKind = new Map();
      tr.ends.forEach((e) => byKind.set(e.kind, (byKind.get(e.kind) || 0n) + cents(e.amount)));
      trailBox.replaceChildren(
        el('p', {}, el('a', { href: '/dashboard/line.html?id=' + encodeURIComponent(lineId) }, t('line') + ' ' + lineId)),
        el('div', { class: 'kpis' }, el('div', { class: 'kpi' }, el('div', { class: 'label' }, t('left')), el('div', { class: 'big', id: 'trail-left' }, amount(tr.left))),
          ...[...byKind.entries()].map(([k, v]) => el('div', { class: 'kpi' }, el('div', { class: 'label' }, t(k)), el('div', { class: 'big' }, amount(decimal(v)))))),
        Etat.table([
          { label: t('line'), render: (e) => el('a', { href: '/dashboard/line.html?id=' + encodeURIComponent(e.lineId) }, e.lineId) },
          { label: t('year'), key: 'year' },
          { label: t('kind'), render: (e) => t(e.kind) },
          { label: t('project'), render: (e) => e.projectId || '–' },
          { label: t('amount'), numeric: true, render: (e) => amount(e.amount) },
        ], tr.ends, { id: 'trail-ends', caption: t('ends') }),
        Etat.table([
          { label: t('from'), key: 'fromLineId' },
          { label: t('to'), key: 'toLineId' },
          { label: t('type'), render: (h) => h.carryOver ? t('carryOver') : t('reallocation') },
          { label: t('amount'), numeric: true, render: (h) => amount(h.amount) },
        ], tr.hops, { id: 'trail-hops', caption: t('hops') }));
    } catch (e) {
      Etat.showError(trailBox, e);
    }
  }

  render(year);
  const initial = new URLSearchParams(location.search).get('line');
  if (initial) trail(initial);
})();
