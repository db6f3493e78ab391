// #/applications/<id>: one application, a customer portal link to hand over, its webhooks and
// its deliveries (GET /v1/deliveries?application=).
import { get, post, query, seg } from '../api.js';
import { announce, details, el, errorBox, link, replace, table, time } from '../dom.js';
import { label, stateBadge } from './webhook-actions.js';
import { deliveryTable } from './delivery-table.js';

export async function applicationPage(ctx, id) {
  const path = '/applications/' + seg(id);
  let app;
  try {
    app = await get(path);
  } catch (e) {
    if (ctx.current()) replace(ctx.main, el('h1', {}, 'Application'), errorBox('Cannot show the application: ' + e.message));
    return;
  }
  if (!ctx.current()) return;
  const hooks = el('div', {}, el('p', {}, 'Loading webhooks…'));
  const deliveries = deliveryTable(ctx, (params) => get('/deliveries' + query({ ...params, application: app.id })));
  replace(ctx.main,
    el('p', { class: 'crumbs' }, el('a', { href: '#/applications' }, 'Applications')),
    el('h1', { class: 'wrap' }, 'Application ', app.name),
    details([
      ['ID', el('code', {}, app.id)],
      ['UID', app.uid],
      ['Metadata', app.metadata && Object.keys(app.metadata).length ? el('pre', { class: 'inline-pre' }, JSON.stringify(app.metadata, null, 2)) : null],
      ['Created', time(app.created_at)],
    ]),
    el('section', { 'aria-labelledby': 'portal-h' }, el('h2', { id: 'portal-h' }, 'Customer portal'), portalForm(path)),
    el('section', { 'aria-labelledby': 'app-hooks-h' }, el('h2', { id: 'app-hooks-h' }, 'Webhooks'), hooks),
    el('section', { 'aria-labelledby': 'deliveries-h' }, el('h2', { id: 'deliveries-h' }, 'Deliveries'), deliveries.node));

  try {
    const page = await get(path + '/webhooks' + query({ limit: 100 }));
    if (!ctx.current()) return;
    replace(hooks, page.data.length === 0 ? el('p', {}, 'No webhooks yet: the customer makes them in the portal, or the API does.')
      : table('Webhooks of ' + app.name, ['Webhook', 'Events', 'State'], page.data.map((w) =>
        el('tr', { 'data-webhook': w.id },
          el('th', { scope: 'row', class: 'wrap' }, link(label(w), 'webhooks', w.id)),
          el('td', { class: 'wrap' }, w.events.join(', ')),
          el('td', {}, stateBadge(w))))),
    page.has_more ? el('p', { class: 'muted' }, 'The first 100 are shown.') : null);
  } catch (e) {
    if (ctx.current()) replace(hooks, errorBox('Cannot list the webhooks: ' + e.message));
  }
  deliveries.reload();
}

/** Makes a portal link (an application key with an expiry) and shows it to copy; shown once. */
function portalForm(path) {
  const expires = el('select', { id: 'portal-expires' },
    [['1h', '1 hour'], ['12h', '12 hours'], ['1d', '1 day'], ['7d', '7 days']].map(([v, t]) => el('option', { value: v }, t)));
  const readOnly = el('input', { id: 'portal-read-only', type: 'checkbox' });
  const out = el('div', {});
  const form = el('form', { class: 'stack', novalidate: true },
    el('p', { class: 'help' }, 'A link that opens this application\'s own dashboard: its webhooks and deliveries only. '
      + 'It is an API key with an expiry (listed among the application\'s keys as "portal link", revocable there).'),
    el('div', { class: 'two' },
      el('div', { class: 'field' }, el('label', { for: 'portal-expires' }, 'Works for'), expires),
      el('div', { class: 'field check' }, readOnly, ' ', el('label', { for: 'portal-read-only' }, 'Read-only (shows everything, changes nothing)'))),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Make a portal link')),
    out);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    replace(out);
    try {
      const made = await post(path + '/portal', { expires_in: expires.value, read_only: readOnly.checked });
      const url = el('input', { id: 'portal-url', type: 'text', readonly: true, value: made.url, 'aria-label': 'Portal link', spellcheck: 'false' });
      const copy = el('button', { type: 'button', class: 'secondary' }, 'Copy');
      copy.addEventListener('click', async () => {
        url.select();
        try {
          await navigator.clipboard.writeText(made.url);
          announce('Link copied.');
        } catch {
          announce('Select the link and copy it.');
        }
      });
      replace(out, el('div', { class: 'notice', role: 'note' },
        el('p', {}, 'Give this link to the customer (shown only now); it works until ', time(made.expires_at),
          made.read_only ? ', read-only.' : '.'),
        el('div', { class: 'link-line' }, url, copy)));
      announce('Portal link made.');
    } catch (e) {
      replace(out, errorBox('No link made: ' + e.message));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
