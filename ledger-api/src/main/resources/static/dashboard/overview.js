/* Year overview: roll-ups by Einzelplan, drill down to Kapitel and Titel, filters by Titelgruppe and Funktion. */
'use strict';
(async () => {
  const { t, el, api, amount, percent, cents, decimal, rate, table, setParams } = Etat;
  const FAR_BELOW_PERCENT = 10n; // rate below this (in %) stands out
  await Etat.header('overview');
  const drill = document.getElementById('drill');
  const crumbs = document.getElementById('crumbs');
  const chartBox = document.getElementById('chart');
  const tgSelect = document.getElementById('tg');
  const fnSelect = document.getElementById('fn');
  const chartsLoaded = Etat.charts(); // in parallel with the data
  let chart = null;

  const state = () => {
    const p = new URLSearchParams(location.search);
    return { year: Number(p.get('year')) || null, ep: p.get('einzelplan'), kapitel: p.get('kapitel'), tg: p.get('titelgruppe'), fn: p.get('funktion') };
  };

  const year = await Etat.yearSelect(document.getElementById('year'), (y) => { setParams({ year: y, einzelplan: null, kapitel: null }); render(); });
  if (!state().year) setParams({ year }, false);

  async function fillFilters(y) {
    const s = state();
    const [groups, functions] = await Promise.all([api(`/api/v1/years/${y}/rollups?by=TITELGRUPPE`), api(`/api/v1/years/${y}/rollups?by=FUNKTION`)]);
    const tgs = [...new Set(groups.map((g) => g.key.split('/')[1]).filter((k) => k && k !== '-'))].sort();
    tgSelect.replaceChildren(el('option', { value: '' }, t('all')), ...tgs.map((g) => el('option', { value: g, selected: g === s.tg }, g)));
    const fns = functions.map((f) => f.key).filter((k) => k && k !== '-');
    fnSelect.replaceChildren(el('option', { value: '' }, t('all')), ...fns.map((f) => el('option', { value: f, selected: f === s.fn }, f)));
  }

  document.getElementById('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    setParams({ year: document.getElementById('year').value, titelgruppe: tgSelect.value, funktion: fnSelect.value, einzelplan: null, kapitel: null });
    render();
  });
  document.getElementById('reset').addEventListener('click', () => {
    setParams({ titelgruppe: null, funktion: null, einzelplan: null, kapitel: null });
    render();
  });
  window.addEventListener('popstate', render);

  /** Sums of lines (decimal strings) as a roll-up row, in BigInt cents. */
  function sum(key, lines) {
    const c = { appropriated: 0n, amended: 0n, carriedIn: 0n, spent: 0n, available: 0n };
    for (const l of lines) for (const k of Object.keys(c)) c[k] += cents(l[k]);
    return { key, lines: lines.length, appropriated: decimal(c.appropriated), amended: decimal(c.amended), carriedIn: decimal(c.carriedIn),
      spent: decimal(c.spent), available: decimal(c.available), executionRatePercent: rate(c.spent, c.appropriated + c.amended + c.carriedIn) };
  }

  const soll = (r) => decimal(cents(r.appropriated) + cents(r.amended));
  const farBelow = (r) => r.executionRatePercent !== null && r.executionRatePercent !== undefined
    && cents(r.executionRatePercent) < FAR_BELOW_PERCENT * 100n && (cents(r.appropriated) + cents(r.amended) + cents(r.carriedIn)) > 0n;

  function rateCell(r) {
    return el('span', {}, percent(r.executionRatePercent), farBelow(r) ? el('span', { class: 'badge' }, '▼ ' + t('farBelow')) : null);
  }

  async function drawChart(rows, label, title) {
    document.getElementById('chart-title').textContent = `${t('soll')} / ${t('ist')}: ${title}`;
    const echarts = await chartsLoaded;
    if (!chart) {
      chart = echarts.init(chartBox, null, { renderer: 'canvas' });
      window.addEventListener('resize', () => chart.resize());
    }
    chart.setOption({
      animation: false,
      aria: { enabled: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (items) => {
        const r = rows[items[0].dataIndex];
        return `${label(r)}<br>${t('soll')}: ${amount(soll(r))}<br>${t('ist')}: ${amount(r.spent)}<br>${t('rate')}: ${percent(r.executionRatePercent)}`;
      } },
      legend: { data: [t('soll'), t('ist')] },
      grid: { left: 8, right: 56, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: (v) => amount(String(Math.round(v))) } },
      yAxis: { type: 'category', inverse: true, data: rows.map(label) },
      series: [
        { name: t('soll'), type: 'bar', itemStyle: { color: '#0b4f8a' }, data: rows.map((r) => ({ value: Etat.chartNumber(soll(r)), amount: soll(r) })) },
        { name: t('ist'), type: 'bar', itemStyle: { color: '#b34700' }, data: rows.map((r) => ({ value: Etat.chartNumber(r.spent), amount: r.spent })),
          label: { show: true, position: 'right', formatter: (p) => percent(rows[p.dataIndex].executionRatePercent) } },
      ],
    }, true);
    chart.off('click');
    chart.on('click', (p) => { const r = rows[p.dataIndex]; if (r && r.__drill) r.__drill(); });
  }

  async function allLines(y, query) {
    const out = [];
    for (let page = 0; ; page++) {
      const r = await api(`/api/v1/years/${y}/lines?${query}&kind=EXPENDITURE&size=1000&page=${page}`);
      out.push(...r.lines);
      if (out.length >= r.total || r.lines.length === 0) return out;
    }
  }

  function crumb(s) {
    const items = [el('button', { type: 'button', class: 'link', onclick: () => { setParams({ einzelplan: null, kapitel: null }); render(); } },
      `${s.year}`)];
    if (s.ep) items.push(' › ', el('button', { type: 'button', class: 'link', onclick: () => { setParams({ kapitel: null }); render(); } },
      `${t('einzelplan')} ${s.ep}`));
    if (s.kapitel) items.push(' › ', el('span', {}, `${t('kapitel')} ${s.kapitel}`));
    if (s.tg) items.push(el('span', { class: 'badge good' }, `${t('titelgruppe')} ${s.tg}`));
    if (s.fn) items.push(el('span', { class: 'badge good' }, `${t('funktion')} ${s.fn}`));
    crumbs.replaceChildren(...items);
  }

  const go = (values) => () => { setParams(values); render(); };

  async function render() {
    const s = state();
    crumb(s);
    drill.replaceChildren(el('p', {}, t('loading')));
    try {
      const filters = fillFilters(s.year); // in parallel with the data below
      const filtered = s.tg || s.fn;
      const query = new URLSearchParams();
      if (s.tg) query.set('titelgruppe', s.tg);
      if (s.fn) query.set('funktion', s.fn);
      if (s.kapitel) {
        query.set('kapitel', s.kapitel);
        const lines = await allLines(s.year, query.toString());
        const rows = lines.map((l) => ({ ...l, key: l.titel, __class: farBelow(l) ? 'below' : null, __id: 'line-' + l.lineId,
          __drill: () => { location.href = '/dashboard/line.html?id=' + encodeURIComponent(l.lineId); } }));
        drill.replaceChildren(table([
          { label: t('titel'), render: (r) => el('a', { class: 'nowrap', href: '/dashboard/line.html?id=' + encodeURIComponent(r.lineId) }, r.lineId) },
          { label: t('purpose'), key: 'purpose' },
          { label: t('titelgruppe'), render: (r) => r.titelgruppe || '–' },
          { label: t('funktion'), render: (r) => r.funktion || '–' },
          { label: t('soll'), numeric: true, render: (r) => amount(soll(r)) },
          { label: t('ist'), numeric: true, render: (r) => amount(r.spent) },
          { label: t('available'), numeric: true, render: (r) => amount(r.available) },
          { label: t('rate'), numeric: true, render: rateCell },
        ], rows, { id: 'lines-table', caption: `${t('kapitel')} ${s.kapitel}` }));
        await drawChart(rows, (r) => `${r.titel}${r.titelgruppe ? ' (TG ' + r.titelgruppe + ')' : ''}`, `${t('titel')}, ${t('kapitel')} ${s.kapitel}`);
        Etat.rendered();
        await filters;
        return;
      }
      let rows;
      const level = s.ep ? 'kapitel' : 'einzelplan';
      if (filtered) {
        const lines = await allLines(s.year, query.toString() + (s.ep ? '&einzelplan=' + encodeURIComponent(s.ep) : ''));
        const groups = new Map();
        for (const l of lines) {
          const k = l[level];
          if (!groups.has(k)) groups.set(k, []);
          groups.get(k).push(l);
        }
        rows = [...groups.keys()].sort().map((k) => sum(k, groups.get(k)));
      } else {
        const rollups = await api(`/api/v1/years/${s.year}/rollups?by=${level.toUpperCase()}`);
        rows = s.ep ? rollups.filter((r) => r.key.startsWith(s.ep)) : rollups;
      }
      rows = rows.map((r) => ({ ...r, __class: farBelow(r) ? 'below' : null, __id: level + '-' + r.key,
        __drill: s.ep ? go({ kapitel: r.key }) : go({ einzelplan: r.key }) }));
      const label = (r) => `${t(level)} ${r.key}`;
      drill.replaceChildren(table([
        { label: t(level), render: (r) => el('button', { type: 'button', class: 'link', onclick: r.__drill }, label(r)) },
        { label: t('lines'), numeric: true, key: 'lines' },
        { label: t('soll'), numeric: true, render: (r) => amount(soll(r)) },
        { label: t('ist'), numeric: true, render: (r) => amount(r.spent) },
        { label: t('available'), numeric: true, render: (r) => amount(r.available) },
        { label: t('rate'), numeric: true, render: rateCell },
      ], rows, { id: 'rollup-table', caption: `${s.year}: ${t(level)}` }));
      await drawChart(rows, label, s.ep ? `${t('kapitel')}, ${t('einzelplan')} ${s.ep}` : `${t('einzelplan')}, ${s.year}`);
      Etat.rendered();
      await filters;
    } catch (e) {
      Etat.showError(drill, e);
    }
  }
  render();
})();
