// #/webhooks: every webhook with its state and actions, and the create form.
import { get, query } from '../api.js';
import { el, errorBox, link, moreButton, replace, table } from '../dom.js';
import { actionButtons, label, newSecret, stateBadge } from './webhook-actions.js';
import { createForm } from './webhook-form.js';

export async function webhooksPage(ctx) {
  const out = el('div', { class: 'messages' });
  const listArea = el('div', { 'aria-busy': 'true' }, el('p', {}, 'Loading webhooks…'));
  const more = el('div', {});
  replace(ctx.main,
    el('h1', {}, 'Webhooks'),
    out,
    el('section', { 'aria-labelledby': 'list-h' }, el('h2', { id: 'list-h' }, 'All webhooks'), listArea, more),
    el('section', { 'aria-labelledby': 'create-h' }, el('h2', { id: 'create-h' }, 'Create a webhook'),
      createForm((webhook) => {
        replace(out, newSecret(webhook.secret, ''), el('p', {}, 'Open ', link(label(webhook), 'webhooks', webhook.id), '.'));
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
      replace(listArea, el('p', {}, 'No webhooks yet. Create one below.'));
      return;
    }
    replace(listArea, table('Webhooks', ['Webhook', 'Events', 'State', 'Receiver', 'Actions'], rows.map((w, i) =>
      el('tr', { 'data-webhook': w.id },
        el('th', { scope: 'row', class: 'wrap' }, link(label(w), 'webhooks', w.id),
          w.name ? el('div', { class: 'muted small' }, w.url) : null),
        el('td', { class: 'wrap' }, w.events.join(', ')),
        el('td', {}, stateBadge(w)),
        el('td', {}, endpointText(w.endpoint_state)),
        el('td', {}, actionButtons(w, out, {
          changed: (updated) => { rows[i] = updated; render(); },
          deleted: () => { rows.splice(i, 1); render(); },
        }))))));
  }

  await load();
}

/** The circuit breaker of the receiver, in words. */
export function endpointText(state) {
  return { closed: 'reachable', open: 'circuit open: waiting', half_open: 'probing' }[state] || String(state);
}
