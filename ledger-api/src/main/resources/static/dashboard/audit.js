/* Audit: the latest verification and the latest signed digest with its download (COURT_OF_AUDIT, AUDITOR);
   auditors may also verify now and issue a digest now. */
'use strict';
(async () => {
  const { t, el, api } = Etat;
  await Etat.header('audit');
  const vBox = document.getElementById('verification');
  const dBox = document.getElementById('digest');

  const code = (text) => el('code', { class: 'hash' }, text);
  /** A definition list of [label, value, id] rows; rows without a value are left out. */
  function facts(id, rows) {
    return el('dl', { class: 'facts', id }, rows.filter((r) => r[1] !== null && r[1] !== undefined)
      .flatMap(([label, value, rowId]) => [el('dt', {}, label), el('dd', { id: rowId || null }, value)]));
  }
  const yesNo = (ok, id) => el('span', { class: 'badge ' + (ok ? 'good' : 'bad'), id }, ok ? t('ok') : t('notOk'));

  /** "none yet" (404) is a state, not an error; anything else shows as an alert. */
  function none(box, e, text) {
    if (e instanceof Etat.ApiError && e.status === 404) {
      box.replaceChildren(el('p', { id: box.id + '-unavailable' }, el('span', { class: 'badge' }, t('notAvailable')), ' ', text));
    } else {
      Etat.showError(box, e);
    }
  }

  function showVerification(v) {
    const bad = v.firstBad;
    const c = v.conservation || {};
    const d = v.digest;
    vBox.replaceChildren(
      el('p', { class: 'big' }, t('status') + ': ', yesNo(v.ok === true, 'verification-status')),
      facts('verification-facts', [
        [t('verifiedAt'), Etat.instant(v.verifiedAt), 'verified-at'],
        [t('eventsChecked'), Etat.integer(v.eventsChecked), 'events-checked'],
        [t('headSequence'), v.headSequence === null ? '–' : Etat.integer(v.headSequence), 'head-sequence'],
        [t('headHash'), v.headHash ? code(v.headHash) : '–', 'head-hash'],
        [t('unchainedEvents'), Etat.integer(v.unchainedEvents), 'unchained-events'],
        [t('firstBad'), bad ? el('span', { class: 'bad-text' }, '#' + bad.globalSequence + ' ' + bad.kind + (bad.detail ? ': ' + bad.detail : '')) : null, 'first-bad'],
        [t('conservation'), el('span', {}, yesNo(c.ok === true, 'conservation-status'), ' ', Etat.integer(c.eventsChecked) + ' ' + t('events')), 'conservation'],
        [t('firstViolation'), c.firstViolation ? '#' + c.firstViolation.globalSequence + ' ' + c.firstViolation.lineId + ': ' + c.firstViolation.rule : null, 'first-violation'],
        [t('digestChecked'), d ? el('span', {}, yesNo(d.valid === true, 'digest-check'), ' ', d.outcome + (d.detail ? ': ' + d.detail : '')) : null, 'digest-checked'],
      ]));
  }

  function showDigest(d) {
    dBox.replaceChildren(
      facts('digest-facts', [
        [t('digestSequence'), Etat.integer(d.sequence), 'digest-sequence'],
        [t('digestEvents'), Etat.integer(d.eventCount), 'digest-events'],
        [t('headHash'), code(d.headHash), 'digest-head-hash'],
        [t('issuedAt'), Etat.instant(d.issuedAt), 'digest-issued-at'],
        [t('signingKey'), el('span', {}, d.keyAlgorithm + ', ' + t('fingerprint') + ' ', code(d.keyFingerprint)), 'digest-key'],
        [t('format'), d.format, 'digest-format'],
      ]),
      el('p', {}, el('a', { class: 'button', id: 'digest-download', href: '/api/v1/audit/digests/latest/file', download: '' }, t('downloadDigest'))),
      el('p', { class: 'note' }, t('digestNote')));
  }

  async function loadVerification() {
    try {
      showVerification(await api('/api/v1/audit/verification/latest'));
    } catch (e) {
      none(vBox, e, t('noVerification'));
    }
  }

  async function loadDigest() {
    try {
      showDigest(await api('/api/v1/audit/digests/latest'));
    } catch (e) {
      none(dBox, e, t('noDigest'));
    }
  }

  /** An auditor's action: the button is busy meanwhile; the answer is drawn, a refusal shown as an alert. */
  function action(button, box, path, busyKey, show) {
    const label = button.textContent;
    button.addEventListener('click', async () => {
      button.disabled = true;
      button.textContent = t(busyKey);
      try {
        show(await api(path, { method: 'POST', headers: { 'Content-Type': 'application/json',
          'Idempotency-Key': 'dashboard-' + Date.now() + '-' + Math.random().toString(36).slice(2) }, body: '' }));
      } catch (e) {
        box.prepend(el('p', { class: 'msg', role: 'alert' }, t('error') + ': ' + e.message));
      } finally {
        button.disabled = false;
        button.textContent = label;
        button.focus();
      }
    });
  }

  // Both reads in parallel; the auditor's buttons appear once the role is known.
  const me = Etat.whoAmI().catch(() => ({ roles: [] }));
  await Promise.all([loadVerification(), loadDigest()]);
  Etat.rendered();
  if ((await me).roles.includes('AUDITOR')) {
    document.getElementById('verify-box').hidden = false;
    document.getElementById('issue-box').hidden = false;
    action(document.getElementById('verify-now'), vBox, '/api/v1/audit/verification', 'verifying', showVerification);
    action(document.getElementById('issue-digest'), dBox, '/api/v1/audit/digests', 'issuing', showDigest);
  }
})();
