/* Budget line: every balance component, the timeline of its entries, and time travel (effective as-of, known-at). */
'use strict';
(async () => {
  const { t, el, api, amount, percent, typeName, setParams } = Etat;
  await Etat.header(null);
  const COMPONENTS = ['appropriated', 'amended', 'carriedIn', 'reallocatedIn', 'consented', 'reallocatedOut', 'carriedOut', 'blocked', 'spent',
    'revenue', 'lapsed', 'available'];
  const id = new URLSearchParams(location.search).get('id');
  const asOfInput = document.getElementById('asOf');
  const knownAtInput = document.getElementById('knownAt');
  const balanceBox = document.getElementById('balance');
  const timelineBox = document.getElementById('timeline');
  document.getElementById('line-id').textContent = id || '';

  document.getElementById('time').addEventListener('submit', (e) => {
    e.preventDefault();
    if (!knownAtInput.checkValidity()) { knownAtInput.reportValidity(); return; }
    setParams({ asOf: asOfInput.value, knownAt: knownAtInput.value.trim() });
    render();
  });
  document.getElementById('reset-time').addEventListener('click', () => { setParams({ asOf: null, knownAt: null }); render(); });
  window.addEventListener('popstate', render);

  const lineLink = (lineId) => el('a', { href: '/dashboard/line.html?id=' + encodeURIComponent(lineId) }, lineId);

  function fact(dl, label, value) {
    if (value === null || value === undefined || value === '') return;
    dl.append(el('dt', {}, label), el('dd', {}, value));
  }

  async function render() {
    const p = new URLSearchParams(location.search);
    const asOf = p.get('asOf') || '';
    const knownAt = p.get('knownAt') || '';
    asOfInput.value = asOf;
    knownAtInput.value = knownAt;
    const travelling = asOf || knownAt;
    const q = new URLSearchParams();
    if (asOf) q.set('asOf', asOf);
    if (knownAt) q.set('knownAt', knownAt);
    const suffix = q.toString() ? '?' + q : '';
    try {
      const [then, now, events] = await Promise.all([
        api(`/api/v1/lines/${encodeURIComponent(id)}${suffix}`),
        travelling ? api(`/api/v1/lines/${encodeURIComponent(id)}`) : Promise.resolve(null),
        api(`/api/v1/lines/${encodeURIComponent(id)}/events${suffix}${suffix ? '&' : '?'}limit=1000`),
      ]);
      document.getElementById('line-title').textContent = [then.purpose, `${t('einzelplan')} ${then.einzelplan}`, `${t('kapitel')} ${then.kapitel}`,
        `${t('titel')} ${then.titel}`, then.titelgruppe ? `${t('titelgruppe')} ${then.titelgruppe}` : null,
        then.funktion ? `${t('funktion')} ${then.funktion}` : null, then.kind, then.closed ? t('closed') : null].filter(Boolean).join(' · ');
      const rows = COMPONENTS.map((c) => ({ c, then: then[c], now: now ? now[c] : null, __id: 'component-' + c }));
      rows.push({ c: 'rate', then: then.executionRatePercent, now: now ? now.executionRatePercent : null, __id: 'component-rate', rate: true });
      const columns = [{ label: t('component'), render: (r) => t(r.c) },
        { label: travelling ? t('asOfValue') : t('value'), numeric: true, render: (r) => el('span', { class: 'value-then' }, r.rate ? percent(r.then) : amount(r.then)) }];
      if (travelling) columns.push({ label: t('nowValue'), numeric: true, render: (r) => el('span', { class: 'value-now' }, r.rate ? percent(r.now) : amount(r.now)) });
      balanceBox.replaceChildren(Etat.table(columns, rows, { id: 'balance-table' }));
      renderTimeline(events.events);
      Etat.rendered();
    } catch (e) {
      Etat.showError(balanceBox, e);
      timelineBox.replaceChildren();
    }
  }

  function renderTimeline(events) {
    if (!events.length) { timelineBox.replaceChildren(el('p', {}, t('noEvents'))); return; }
    const list = el('ol', { class: 'timeline', id: 'events' });
    events.forEach((e, i) => {
      const dl = el('dl', { class: 'facts' });
      fact(dl, t('who'), e.principal);
      fact(dl, t('recorded'), e.recordedAt);
      fact(dl, t('effective'), e.effectiveDate);
      fact(dl, t('amount'), e.amount === null ? null : amount(e.amount));
      fact(dl, t('counterpart'), e.counterpartLineId ? lineLink(e.counterpartLineId) : null);
      fact(dl, t('legalBasis'), e.legalBasis);
      fact(dl, t('justification'), e.justification);
      fact(dl, t('document'), e.documentReference);
      fact(dl, t('project'), e.projectId);
      if (e.reversesEventId) {
        fact(dl, t('reverses'), el('a', { href: '#e-' + e.reversesEventId, class: 'reverses' }, e.reversesEventId));
      }
      if (e.reversedByEventIds && e.reversedByEventIds.length) {
        fact(dl, t('reversedBy'), e.reversedByEventIds.map((r, k) => [k ? ', ' : '', el('a', { href: '#e-' + r }, r)]).flat());
      }
      const previous = i > 0 ? events[i - 1] : null;
      const before = previous && previous.recordedAt ? el('button', { type: 'button', class: 'link before',
        onclick: () => { setParams({ knownAt: previous.recordedAt }); render(); } }, t('beforeThis')) : null;
      list.append(el('li', { id: 'e-' + e.eventId, class: [e.reversesEventId ? 'reversal' : '', e.reversedByEventIds && e.reversedByEventIds.length ? 'is-reversed' : ''].join(' ').trim() || null,
        'data-type': e.type, tabindex: '-1' },
        el('h3', {}, typeName(e.type), e.reversedByEventIds && e.reversedByEventIds.length ? el('span', { class: 'badge bad' }, t('reversed')) : null),
        dl, before));
    });
    timelineBox.replaceChildren(list);
  }

  render();
})();
