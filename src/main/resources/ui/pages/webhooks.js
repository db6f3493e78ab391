// #/webhooks: every webhook with its state and actions, and the create form.
import { get, query } from '../api.js';
import { el, errorBox, link, moreButton, replace, table } from '../dom.js';
import { actionButtons, label, newSecret, stateBadge } from './webhook-actions.js';
import { createForm } from './webhook-form.js';
import { signsWithEd25519 } from './webhook-public-key.js';
import { mode } from '../mode.js';

export async function webhooksPage(ctx) {
  const out = el('div', { class: 'messages' });
  const listArea = el('div', { 'aria-busy': 'true' }, el('p', {}, 'Loading webhooks…'));
  const more = el('div', {});
  replace(ctx.main,
    el('h1', {}, 'Webhooks'),
    out,
    el('section', { 'aria-labelledby': 'list-h' }, el('h2', { id: 'list-h' }, 'All webhooks'), listArea, more),
    // A read-only portal link offers no change at all.
    mode.readOnly ? null : el('section', { 'aria-labelledby': 'create-h' }, el('h2', { id: 'create-h' }, 'Create a webhook'),
      createForm((webhook) => {
        // An Ed25519 webhook's receiver needs its public key, shown on the webhook's page; there is no secret to give.
        replace(out, signsWithEd25519(webhook)
          ? el('p', { class: 'notice' }, 'Signed with Ed25519: open ', link(label(webhook), 'webhooks', webhook.id), ' to copy its public key for the receiver.')
          : [newSecret(webhook.secret, ''), el('p', {}, 'Open ', link(label(webhook), 'webhooks', webhook.id), '.')]);
        load();
      })));

  const rows = [];
  async function load(cursor) {
    try {
      const page = await get('/webhooks' + query({ limit: 100, cursor }));
      if (!ctx.current()) return;
      if (!cursor) rows.length = 0;
      rows.push(...page.data);
      render();
      replace(more, page.has_more ? moreButton(() => load(page.next_cursor)) : null);
    } catch (e) {
      if (ctx.current()) replace(listArea, errorBox('Cannot list the webhooks: ' + e.message));
    }
  }

  function render() {
    listArea.removeAttribute('aria-busy');
    if (rows.length === 0) {
      replace(listArea, el('p', {}, mode.readOnly ? 'No webhooks yet.' : 'No webhooks yet. Create one below.'));
      return;
    }
    replace(listArea, table('Webhooks', ['Webhook', 'Events', 'State', 'Receiver', mode.readOnly ? null : 'Actions'].filter(Boolean), rows.map((w, i) =>
      el('tr', { 'data-webhook': w.id },
        el('th', { scope: 'row', class: 'wrap' }, link(label(w), 'webhooks', w.id),
          w.name ? el('div', { class: 'muted small' }, w.url) : null,
          // Two webhooks may share a name or a URL: the id tells them apart.
          el('div', { class: 'muted small webhook-id' }, el('code', {}, w.id))),
        el('td', { class: 'wrap' }, w.events.join(', ')),
        el('td', {}, stateBadge(w)),
        el('td', { class: 'receiver' }, endpointText(w)),
        mode.readOnly ? null : el('td', {}, actionButtons(w, out, {
          changed: (updated) => { rows[i] = updated; render(); },
          deleted: () => { rows.splice(i, 1); render(); },
        }))))));
  }

  await load();
}

/**
 * The receiver as this Herald's circuit breaker sees it, in words: failing from the first failed
 * attempt (with the latest HTTP status), not only once the breaker opens.
 */
export function endpointText(w) {
  const f = w.endpoint_failing;
  const last = f && (f.last_status_code === null || f.last_status_code === undefined ? 'no response' : 'HTTP ' + f.last_status_code);
  const failures = f ? (f.attempts === 1 ? '1 failed attempt: ' : f.attempts + ' failed attempts in a row, the last ') + last : null;
  const text = w.endpoint_state === 'open' ? 'circuit open: waiting' + (failures ? ' (' + failures + ')' : '')
    : w.endpoint_state === 'half_open' ? 'probing' + (failures ? ' (' + failures + ')' : '')
      : failures ? 'failing: ' + failures
        : w.endpoint_state === 'closed' ? 'no failures' : String(w.endpoint_state);
  return el('span', { class: f || w.endpoint_state !== 'closed' ? 'bad' : null, 'data-endpoint': f ? 'failing' : w.endpoint_state }, text);
}
