/* Etat dashboard: shared code. Plain JavaScript, no build step. Amounts stay decimal strings; sums use BigInt cents. */
'use strict';

const Etat = (() => {
  const T = {
    de: {
      skip: 'Zum Inhalt springen', overview: 'Jahresübersicht', flows: 'Geldflüsse', account: 'Haushaltsrechnung', audit: 'Prüfung',
      line: 'Haushaltsstelle', signout: 'Abmelden', language: 'English', languageLabel: 'Switch to English', year: 'Jahr',
      loading: 'Lädt …', notAvailable: 'Nicht verfügbar', error: 'Fehler', signedInAs: 'Angemeldet als',
      einzelplan: 'Einzelplan', kapitel: 'Kapitel', titel: 'Titel', titelgruppe: 'Titelgruppe', funktion: 'Funktion',
      purpose: 'Zweckbestimmung', lines: 'Titel (Anzahl)', soll: 'Soll', ist: 'Ist', rate: 'Ausführungsquote', all: 'alle',
      farBelow: 'weit unter Plan', farBelowNote: 'Hervorgehoben: Ausführungsquote unter 10 % des Solls (mit Resten).',
      sollIstChart: 'Soll und Ist nach Einzelplan', tableAlt: 'Tabelle zum Diagramm', drillHint: 'Zum Aufklappen eine Zeile wählen.',
      back: 'zurück', apply: 'Anwenden', reset: 'Zurücksetzen', now: 'jetzt',
      appropriated: 'Soll (Haushaltsgesetz)', amended: 'Nachtrag (±)', carriedIn: 'Reste aus Vorjahr', reallocatedIn: 'Verstärkung erhalten',
      consented: 'Über-/außerplanmäßig (§ 37)', reallocatedOut: 'Verstärkung abgegeben', carriedOut: 'Reste ins Folgejahr',
      blocked: 'Gesperrt', spent: 'Ausgegeben (Ist)', revenue: 'Einnahmen', lapsed: 'Verfallen', available: 'Verfügbar',
      component: 'Bestandteil', asOfValue: 'Stand gewählt', nowValue: 'Stand heute',
      asOf: 'Wirksam bis (Buchungsdatum)', knownAt: 'Bekannt am (Zeitpunkt, UTC)', timeTravel: 'Zeitreise',
      timeline: 'Verlauf', who: 'Wer', recorded: 'Erfasst', effective: 'Wirksam', legalBasis: 'Rechtsgrundlage', justification: 'Begründung',
      amount: 'Betrag', counterpart: 'Gegenstelle', document: 'Beleg', project: 'Projekt', reverses: 'Storniert', reversedBy: 'Storniert durch',
      beforeThis: 'Stand vor diesem Eintrag', noEvents: 'Keine Einträge (bis zu diesen Zeitpunkten).', closed: 'Jahr abgeschlossen',
      kind: 'Art', balance: 'Saldo',
      sankey: 'Umschichtungen und Reste', from: 'Von', to: 'Nach', date: 'Datum', type: 'Typ', reversed: 'storniert',
      reallocation: 'Umschichtung', carryOver: 'Übertrag (Rest)', trail: 'Spur des Geldes', showTrail: 'Spur zeigen',
      largest: 'Größter Abfluss', out: 'Abfluss', in: 'Zufluss', noFlows: 'Keine Umschichtungen oder Reste in diesem Jahr.',
      left: 'Abgeflossen (verfolgt)', ends: 'Wo es endete', hops: 'Wege', still: 'noch verfügbar', project: 'Projekt',
      SPENT: 'ausgegeben', LAPSED: 'verfallen', AVAILABLE: 'noch verfügbar', BLOCKED: 'gesperrt', CIRCULATING: 'im Kreis',
      trailHint: 'Einen Titel im Diagramm oder in der Tabelle wählen, um seine Spur zu sehen.', cycle: 'Die Flüsse bilden einen Kreis; nur die Tabelle wird gezeigt.',
      accountTitle: 'Haushaltsrechnung (§ 81 LHO)', csvRfc: 'CSV herunterladen (RFC 4180)', csvGerman: 'CSV herunterladen (deutsch, ;)',
      difference: 'Mehr (+) / Weniger (−)', istPlusCarriedOut: 'Ist + Reste', overPlanSpent: 'Über-/außerplanmäßig', consentReferences: 'Zustimmung Az.',
      annex: 'Anlage: Über- und außerplanmäßige Ausgaben (§ 37)', consentReference: 'Aktenzeichen', noRows: 'Keine Zeilen.',
      verification: 'Prüfung der Kette', latestVerification: 'Letzte Prüfung', latestDigest: 'Neuester signierter Digest', download: 'Herunterladen',
      verifyNow: 'Jetzt prüfen', verifying: 'Prüft …', ok: 'in Ordnung', notOk: 'FEHLER',
      auditIntro: 'Die Prüfung rechnet die Hash-Kette aus den gespeicherten Ereignissen nach und prüft, dass die Bücher ausgeglichen sind; ein signierter Digest hält den Kopf der Kette fest.',
      verifiedAt: 'Geprüft am', eventsChecked: 'Ereignisse geprüft', headSequence: 'Kopf der Kette (Sequenz)', headHash: 'Kopf-Hash (SHA-256)',
      unchainedEvents: 'Noch nicht verkettet', firstBad: 'Erste Abweichung', conservation: 'Bücher ausgeglichen', events: 'Ereignisse',
      firstViolation: 'Erster Verstoß', digestChecked: 'Digest geprüft', digestSequence: 'Kette bis Sequenz', digestEvents: 'Ereignisse in der Kette',
      issuedAt: 'Ausgestellt am', signingKey: 'Schlüssel', fingerprint: 'Fingerabdruck', format: 'Format', downloadDigest: 'Digest herunterladen (JSON)',
      digestNote: 'Veröffentlicht außerhalb der Datenbank, deckt der Digest auch eine neu verkettete, umgeschriebene Historie auf (./etat verify --digest DATEI).',
      noVerification: 'Noch keine Prüfung gespeichert.', noDigest: 'Noch kein Digest ausgestellt.', issueDigest: 'Digest jetzt ausstellen', issuing: 'Stellt aus …',
      sum: 'Summe', status: 'Status', field: 'Feld', value: 'Wert', threshold: 'Schwelle',
    },
    en: {
      skip: 'Skip to content', overview: 'Year overview', flows: 'Money flows', account: 'Annual account', audit: 'Audit',
      line: 'Budget line', signout: 'Sign out', language: 'Deutsch', languageLabel: 'Auf Deutsch umschalten', year: 'Year',
      loading: 'Loading …', notAvailable: 'Not available', error: 'Error', signedInAs: 'Signed in as',
      einzelplan: 'Einzelplan', kapitel: 'Kapitel', titel: 'Titel', titelgruppe: 'Titelgruppe', funktion: 'Funktion',
      purpose: 'Purpose', lines: 'Titles (count)', soll: 'Soll (plan)', ist: 'Ist (spent)', rate: 'Execution rate', all: 'all',
      farBelow: 'far below plan', farBelowNote: 'Highlighted: execution rate below 10 % of plan (with remainders).',
      sollIstChart: 'Soll and Ist by Einzelplan', tableAlt: 'Table of the chart', drillHint: 'Choose a row to drill down.',
      back: 'back', apply: 'Apply', reset: 'Reset', now: 'now',
      appropriated: 'Appropriated (budget law)', amended: 'Amended (±)', carriedIn: 'Carried in', reallocatedIn: 'Reallocated in',
      consented: 'Over-plan consents (§ 37)', reallocatedOut: 'Reallocated out', carriedOut: 'Carried out',
      blocked: 'Blocked', spent: 'Spent (Ist)', revenue: 'Revenue', lapsed: 'Lapsed', available: 'Available',
      component: 'Component', asOfValue: 'As chosen', nowValue: 'Now',
      asOf: 'Effective as of (booking date)', knownAt: 'Known at (instant, UTC)', timeTravel: 'Time travel',
      timeline: 'Timeline', who: 'Who', recorded: 'Recorded', effective: 'Effective', legalBasis: 'Legal basis', justification: 'Justification',
      amount: 'Amount', counterpart: 'Other line', document: 'Document', project: 'Project', reverses: 'Reverses', reversedBy: 'Reversed by',
      beforeThis: 'Books before this entry', noEvents: 'No entries (up to these times).', closed: 'year closed',
      kind: 'Kind', balance: 'Balance',
      sankey: 'Reallocations and carry-overs', from: 'From', to: 'To', date: 'Date', type: 'Type', reversed: 'reversed',
      reallocation: 'Reallocation', carryOver: 'Carry-over', trail: 'Money trail', showTrail: 'Show trail',
      largest: 'Largest outflow', out: 'out', in: 'in', noFlows: 'No reallocations or carry-overs in this year.',
      left: 'Left the line (traced)', ends: 'Where it ended', hops: 'Hops',
      SPENT: 'spent', LAPSED: 'lapsed', AVAILABLE: 'still available', BLOCKED: 'blocked', CIRCULATING: 'circulating',
      trailHint: 'Choose a line in the chart or the table to see its trail.', cycle: 'The flows form a cycle; only the table is shown.',
      accountTitle: 'Annual account (§ 81)', csvRfc: 'Download CSV (RFC 4180)', csvGerman: 'Download CSV (German, ;)',
      difference: 'More (+) / less (−)', istPlusCarriedOut: 'Ist + carried out', overPlanSpent: 'Over plan', consentReferences: 'Consent ref.',
      annex: 'Annex: over-plan and unplanned spending (§ 37)', consentReference: 'Reference', noRows: 'No rows.',
      verification: 'Chain verification', latestVerification: 'Latest verification', latestDigest: 'Latest signed digest', download: 'Download',
      verifyNow: 'Verify now', verifying: 'Verifying …', ok: 'ok', notOk: 'FAILED',
      auditIntro: 'Verification recomputes the hash chain from the stored events and checks that the books balance; a signed digest pins the head of the chain.',
      verifiedAt: 'Verified at', eventsChecked: 'Events checked', headSequence: 'Head of the chain (sequence)', headHash: 'Head hash (SHA-256)',
      unchainedEvents: 'Not chained yet', firstBad: 'First damage', conservation: 'Books balance', events: 'events',
      firstViolation: 'First violation', digestChecked: 'Digest checked', digestSequence: 'Chain up to sequence', digestEvents: 'Events in the chain',
      issuedAt: 'Issued at', signingKey: 'Key', fingerprint: 'fingerprint', format: 'Format', downloadDigest: 'Download digest (JSON)',
      digestNote: 'Published outside the database, the digest also reveals a history that was rewritten and re-chained (./etat verify --digest FILE).',
      noVerification: 'No verification stored yet.', noDigest: 'No digest issued yet.', issueDigest: 'Issue digest now', issuing: 'Issuing …',
      sum: 'Total', status: 'Status', field: 'Field', value: 'Value', threshold: 'Threshold',
    },
  };
  const TYPES = {
    de: { LineOpened: 'Titel eröffnet', AppropriationEnacted: 'Soll beschlossen', AppropriationAmended: 'Nachtrag', FundsBlocked: 'Sperre',
      FundsReleased: 'Entsperrung', OverPlanConsentGranted: 'Zustimmung § 37', ExpenditureRecorded: 'Ausgabe', RevenueRecorded: 'Einnahme',
      ReallocatedOut: 'Umschichtung (abgegeben)', ReallocatedIn: 'Umschichtung (erhalten)', RemainderCarriedOut: 'Rest übertragen (abgegeben)',
      RemainderCarriedIn: 'Rest übertragen (erhalten)', LapsedAtClose: 'Verfall beim Abschluss', YearClosed: 'Jahresabschluss', EntryReversed: 'Storno' },
    en: { LineOpened: 'Line opened', AppropriationEnacted: 'Appropriation enacted', AppropriationAmended: 'Amendment', FundsBlocked: 'Block',
      FundsReleased: 'Release', OverPlanConsentGranted: '§ 37 consent', ExpenditureRecorded: 'Expenditure', RevenueRecorded: 'Revenue',
      ReallocatedOut: 'Reallocation (given)', ReallocatedIn: 'Reallocation (received)', RemainderCarriedOut: 'Carry-over (out)',
      RemainderCarriedIn: 'Carry-over (in)', LapsedAtClose: 'Lapse at close', YearClosed: 'Year closed', EntryReversed: 'Reversal' },
  };

  const params = new URLSearchParams(location.search);
  if (params.get('lang') === 'de' || params.get('lang') === 'en') {
    localStorage.setItem('etat.lang', params.get('lang'));
  }
  let lang = localStorage.getItem('etat.lang') || ((navigator.language || 'de').startsWith('en') ? 'en' : 'de');

  const t = (key) => (T[lang] && T[lang][key]) || key;
  const typeName = (type) => (TYPES[lang] && TYPES[lang][type]) || type;

  /** "699602.36" -> "699.602,36 €" (de) or "€699,602.36" (en); every digit kept, nothing rounded. */
  function amount(decimal) {
    if (decimal === null || decimal === undefined || decimal === '') return '–';
    const text = String(decimal);
    if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
    const negative = text.startsWith('-');
    const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
    const group = lang === 'de' ? '.' : ',';
    const point = lang === 'de' ? ',' : '.';
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
    const number = fraction === undefined ? grouped : grouped + point + fraction;
    return lang === 'de' ? (negative ? '−' : '') + number + '\u00a0€' : (negative ? '−' : '') + '€' + number;
  }

  /** 1042 -> "1.042" (de) or "1,042" (en); exact for any integer the API sends. */
  function integer(value) {
    if (value === null || value === undefined) return '–';
    const text = String(value);
    if (!/^-?\d+$/.test(text)) return text;
    return text.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'de' ? '.' : ',');
  }

  /** "2026-11-24T17:00:00.123Z" -> "2026-11-24 17:00:00.123 UTC": the instant as recorded, never shifted to the browser's zone. */
  function instant(text) {
    if (!text) return '–';
    const m = /^(\d{4}-\d{2}-\d{2})T([0-9:.]+)Z$/.exec(String(text));
    return m ? m[1] + ' ' + m[2] + ' UTC' : String(text);
  }

  /** "0.06" -> "0,06 %" (de) or "0.06%" (en); null -> "–". */
  function percent(decimal) {
    if (decimal === null || decimal === undefined) return '–';
    const text = String(decimal);
    return lang === 'de' ? text.replace('.', ',') + '\u00a0%' : text + '%';
  }

  /** Decimal string to BigInt cents (exactly two decimals in the API). */
  function cents(decimal) {
    if (decimal === null || decimal === undefined) return 0n;
    const text = String(decimal);
    const negative = text.startsWith('-');
    const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
    const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
    return negative ? -value : value;
  }

  /** BigInt cents to a decimal string. */
  function decimal(centsValue) {
    const negative = centsValue < 0n;
    const abs = negative ? -centsValue : centsValue;
    const fraction = (abs % 100n).toString().padStart(2, '0');
    return (negative ? '-' : '') + (abs / 100n).toString() + '.' + fraction;
  }

  /** spent / base in percent, half-up to two decimals (as the ledger computes it); null without a base. */
  function rate(spentCents, baseCents) {
    if (baseCents <= 0n) return null;
    const hundredths = (spentCents * 20000n + baseCents) / (2n * baseCents);
    return decimal(hundredths);
  }

  /** Number for chart geometry only (bar lengths, link widths); labels always come from the strings. */
  const chartNumber = (decimalText) => Number(decimalText);

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function xsrf() {
    const m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : null;
  }

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
      this.status = status;
      this.problem = problem;
    }
  }

  /** Calls the documented API with the session cookie; writes carry the CSRF token. */
  async function api(path, options = {}) {
    const headers = { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...(options.headers || {}) };
    if (options.method && options.method !== 'GET') {
      const token = xsrf();
      if (token) headers['X-XSRF-TOKEN'] = token;
    }
    const response = await fetch(path, { credentials: 'same-origin', ...options, headers });
    if (response.status === 401) {
      location.href = '/login';
      throw new ApiError(401, null);
    }
    const type = response.headers.get('content-type') || '';
    const body = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(response.status, typeof body === 'object' ? body : null);
    return body;
  }

  let me = null;
  /** The signed-in principal, asked once per page. */
  function whoAmI() {
    if (!me) me = api('/api/v1/me');
    return me;
  }

  function applyTranslations(root = document) {
    document.documentElement.lang = lang;
    root.querySelectorAll('[data-i18n]').forEach((n) => { n.textContent = t(n.dataset.i18n); });
    root.querySelectorAll('[data-i18n-label]').forEach((n) => { n.setAttribute('aria-label', t(n.dataset.i18nLabel)); });
  }

  /** The header: skip link, navigation, user, language switch, sign-out. */
  async function header(active) {
    const nav = el('nav', { 'aria-label': 'Etat' },
      el('ul', {}, ...[['overview', '/dashboard/'], ['flows', '/dashboard/flows.html'], ['account', '/dashboard/account.html'],
        ['audit', '/dashboard/audit.html']].map(([key, href]) =>
        el('li', {}, el('a', { href, id: 'nav-' + key, 'aria-current': key === active ? 'page' : null, 'data-i18n': key }, t(key))))));
    const user = el('span', { class: 'user', id: 'user' });
    const switcher = el('button', { type: 'button', id: 'lang-switch', class: 'secondary', lang: lang === 'de' ? 'en' : 'de',
      'aria-label': t('languageLabel'), onclick: () => { localStorage.setItem('etat.lang', lang === 'de' ? 'en' : 'de');
        const u = new URL(location.href); u.searchParams.delete('lang'); location.href = u.toString(); } }, t('language'));
    const out = el('button', { type: 'button', id: 'sign-out', class: 'secondary', onclick: signOut }, t('signout'));
    const bar = el('div', { class: 'bar' }, el('a', { class: 'brand', href: '/dashboard/' }, 'Etat'), nav,
      el('div', { class: 'tools' }, user, switcher, out));
    const top = document.getElementById('top');
    top.replaceChildren(el('a', { class: 'skip', href: '#main' }, t('skip')), bar);
    applyTranslations();
    // Not awaited: the page's data loads meanwhile.
    whoAmI().then((m) => { user.textContent = t('signedInAs') + ' ' + m.name + ' (' + m.roles.join(', ') + ')'; }, () => { user.textContent = ''; });
  }

  async function signOut() {
    try {
      await fetch('/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-XSRF-TOKEN': xsrf() || '' } });
    } finally {
      location.href = '/login?logout&lang=' + lang;
    }
  }

  function showError(container, error) {
    container.replaceChildren(el('p', { class: 'msg', role: 'alert' }, t('error') + ': ' + (error && error.message ? error.message : error)));
  }

  /** A sortable-free plain table: columns [{key, label, render, numeric}]. */
  function table(columns, rows, attrs = {}) {
    return el('table', { id: attrs.id, class: attrs.class },
      attrs.caption ? el('caption', {}, attrs.caption) : null,
      el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      el('tbody', {}, rows.map((r) => {
        const tr = el('tr', { class: r.__class || null, id: r.__id || null });
        columns.forEach((c, i) => {
          const content = c.render ? c.render(r) : r[c.key];
          tr.append(el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: c.numeric ? 'num' : null }, content));
        });
        return tr;
      })));
  }

  function setParams(values, push = true) {
    const u = new URL(location.href);
    for (const [k, v] of Object.entries(values)) {
      if (v === null || v === undefined || v === '') u.searchParams.delete(k); else u.searchParams.set(k, v);
    }
    if (push) history.pushState(null, '', u.toString()); else history.replaceState(null, '', u.toString());
  }

  async function years() {
    return api('/api/v1/years');
  }

  /** Fills a year select; the chosen year comes from ?year=, else the latest with lines (or the current one). */
  async function yearSelect(select, onChange) {
    const list = await years();
    const wanted = Number(new URLSearchParams(location.search).get('year'));
    const available = list.map((y) => y.year);
    const chosen = available.includes(wanted) ? wanted : (available.length ? available[available.length - 1] : new Date().getFullYear());
    select.replaceChildren(...available.map((y) => el('option', { value: y, selected: y === chosen }, String(y))));
    select.addEventListener('change', () => onChange(Number(select.value)));
    return chosen;
  }

  let chartsLoading = null;
  /**
   * ECharts, loaded once and without holding the page up: its 1 MB script (preloaded by the page's
   * head) is fetched and compiled while the page's data loads; a deferred script would delay every
   * later script, and so the first API call, until it had run.
   */
  function charts() {
    if (!chartsLoading) {
      chartsLoading = window.echarts ? Promise.resolve(window.echarts) : new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = '/webjars/echarts/echarts.min.js';
        s.async = true;
        s.onload = () => resolve(window.echarts);
        s.onerror = () => reject(new Error('ECharts did not load'));
        document.head.append(s);
      });
    }
    return chartsLoading;
  }

  /**
   * Marks the moment the page's data is in the DOM ('etat-rendered'), and the end of the frame that
   * paints it ('etat-painted': a task queued from the next animation frame runs after that paint),
   * once per page load. 'etat-painted' is the first meaningful paint the benchmark reports.
   */
  function rendered() {
    if (performance.getEntriesByName('etat-rendered').length > 0) return;
    performance.mark('etat-rendered');
    requestAnimationFrame(() => setTimeout(() => performance.mark('etat-painted'), 0));
  }

  return { rendered, charts, t, typeName, amount, percent, integer, instant, cents, decimal, rate, chartNumber, el, api, ApiError, whoAmI, header, applyTranslations, showError,
    table, setParams, yearSelect, xsrf, get lang() { return lang; } };
})();
