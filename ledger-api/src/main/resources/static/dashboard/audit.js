/* Audit: the latest verification, the latest signed digest and its download; auditors may verify now. */
'use strict';
(async () => {
  const { t, el, api } = Etat;
  await Etat.header('audit');
  const vBox = document.getElementById('verification');
  const dBox = document.getElementById('digest');
  const verifyButton = document.getElementById('verify-now');

  /** Top-level fields as a table; nested values as compact JSON. */
  function facts(obj, id) {
    const rows = Object.entries(obj).map(([k, v]) => ({ k, v: v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v) }));
    return Etat.table([{ label: t('field'), key: 'k' }, { label: t('value'), render: (r) => el('code', {}, r.v) }], rows, { id });
  }

  function unavailable(box, e) {
    if (e instanceof Etat.ApiError && (e.status === 404 || e.status === 405 || e.status === 501 || e.status === 503)) {
      box.replaceChildren(el('p', { class: 'badge', id: box.id + '-unavailable' }, t('notAvailable')), el('p', { class: 'note' }, t('auditUnavailable')),
        e.problem && e.problem.detail && !e.problem.detail.startsWith('No static resource') ? el('p', { class: 'note' }, e.problem.detail) : null);
    } else {
      Etat.showError(box, e);
    }
  }

  async function render() {
    try {
      const v = await api('/api/v1/audit/verification/latest');
      const ok = v.ok === true;
      vBox.replaceChildren(el('p', {}, t('status') + ': ', el('span', { class: 'badge ' + (ok ? 'good' : 'bad'), id: 'verification-status' }, ok ? t('ok') : t('notOk'))),
        facts(v, 'verification-table'));
    } catch (e) {
      unavailable(vBox, e);
    }
    try {
      const d = await api('/api/v1/audit/digests/latest');
      dBox.replaceChildren(el('p', {}, el('a', { class: 'button', id: 'digest-download', href: '/api/v1/audit/digests/latest/file', download: '' }, t('download'))),
        facts(d, 'digest-table'));
    } catch (e) {
      unavailable(dBox, e);
    }
    Etat.rendered();
  }

  const me = await Etat.whoAmI().catch(() => ({ roles: [] }));
  if (me.roles.includes('AUDITOR')) {
    document.getElementById('verify-box').hidden = false;
    verifyButton.addEventListener('click', async () => {
      verifyButton.disabled = true;
      verifyButton.textContent = t('verifying');
      try {
        await api('/api/v1/audit/verification', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'dashboard-verify-' + Date.now() + '-' + Math.random().toString(36).slice(2) }, body: '{}' });
      } catch (e) {
        unavailable(vBox, e);
      } finally {
        verifyButton.disabled = false;
        verifyButton.textContent = t('verifyNow');
      }
      render();
    });
  }
  render();
})();
