/* Annual account (§ 81): the table as JSON from the API, and its two CSV variants as downloads. */
'use strict';
(async () => {
  const { t, el, api, amount, setParams } = Etat;
  await Etat.header('account');
  const box = document.getElementById('account');
  const annex = document.getElementById('annex');
  const year = await Etat.yearSelect(document.getElementById('year'), (y) => { setParams({ year: y }); render(y); });

  async function render(y) {
    const base = `/api/v1/years/${y}/annual-account`;
    document.getElementById('csv-rfc').href = `${base}?format=csv`;
    document.getElementById('csv-german').href = `${base}?format=csv&variant=german`;
    try {
      const account = await api(base);
      const money = (key) => ({ label: t(key), numeric: true, render: (r) => amount(r[key]) });
      box.replaceChildren(account.rows.length ? el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': `${t('accountTitle')} ${y}` }, Etat.table([
        { label: t('line'), render: (r) => el('a', { class: 'nowrap', href: '/dashboard/line.html?id=' + encodeURIComponent(r.lineId) }, r.lineId) },
        { label: t('purpose'), key: 'purpose' },
        { label: t('titelgruppe'), render: (r) => r.titelgruppe || '–' },
        money('soll'), money('carriedIn'), { label: t('ist'), numeric: true, render: (r) => amount(r.ist) }, money('carriedOut'),
        money('istPlusCarriedOut'), money('difference'), money('reallocatedIn'), money('reallocatedOut'), money('lapsed'), money('overPlanSpent'),
        { label: t('consentReferences'), render: (r) => r.consentReferences || '–' },
      ], account.rows, { id: 'account-table', class: 'compact', caption: `${t('accountTitle')} ${y}` })) : el('p', {}, t('noRows')));
      annex.replaceChildren(account.section37Annex.length ? Etat.table([
        { label: t('line'), key: 'lineId' },
        { label: t('amount'), numeric: true, render: (c) => amount(c.amount) },
        { label: t('consentReference'), key: 'consentReference' },
        { label: t('justification'), key: 'justification' },
        { label: t('type'), key: 'type' },
        { label: t('date'), key: 'effectiveDate' },
        { label: t('reversed'), render: (c) => c.reversed ? '✓' : '–' },
      ], account.section37Annex, { id: 'annex-table' }) : el('p', {}, t('noRows')));
      Etat.rendered();
    } catch (e) {
      Etat.showError(box, e);
    }
  }
  render(year);
})();
