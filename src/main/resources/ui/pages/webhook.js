// #/webhooks/<id>: settings (secret masked until asked), actions, Send test event, and the
// webhook's deliveries newest first, filtered by status, paged with "Load more".
import { get, patch, post, query, seg } from '../api.js';
import { announce, details, el, errorBox, replace, time } from '../dom.js';
import { actionButtons, label, stateBadge } from './webhook-actions.js';
import { endpointText } from './webhooks.js';
import { deliveryTable } from './delivery-table.js';
import { FILTER_HELP, RATE_HELP, filterInput, parseFilter, rateInput } from './webhook-form.js';
import { mode } from '../mode.js';
import { editForm } from './webhook-edit.js';
import { accessForm, accessRows } from './webhook-access.js';
import { publicKeyView, signsWithEd25519 } from './webhook-public-key.js';

export async function webhookPage(ctx, id) {
  const path = '/webhooks/' + seg(id);
  let webhook;
  try {
    webhook = await get(path);
  } catch (e) {
    if (ctx.current()) replace(ctx.main, el('h1', {}, 'Webhook'), errorBox('Cannot show the webhook: ' + e.message));
    return;
  }
  if (!ctx.current()) return;

  const heading = el('h1', { class: 'wrap' });
  const out = el('div', { class: 'messages' });
  const actions = el('div', { class: 'page-actions' });
  const settings = el('div', {});
  const testButton = el('button', { type: 'button' }, 'Send test event');
  const deliveries = deliveryTable(ctx, (params) => get(path + '/deliveries' + query(params)));

  function render() {
    replace(heading, 'Webhook ', label(webhook), ' ', el('span', { class: 'muted small webhook-id' }, '(', webhook.id, ')'));
    // A read-only portal link: no test, pause, rotate or delete.
    replace(actions, mode.readOnly ? null : [testButton, actionButtons(webhook, out, {
      changed: (updated) => { webhook = updated; render(); },
      deleted: () => { location.hash = '#/webhooks'; },
    })]);
    replace(settings, settingsList(webhook, path, (updated) => { webhook = updated; render(); }),
      mode.readOnly ? null : editForm(webhook, path, (updated) => { webhook = updated; render(); }),
      mode.readOnly ? null : accessForm(webhook, path, (updated) => { webhook = updated; render(); }));
  }

  testButton.addEventListener('click', async () => {
    testButton.disabled = true;
    replace(out);
    try {
      const sent = await post(path + '/test');
      announce('Test event sent: delivery ' + sent.delivery_id + (webhook.active ? '.' : ' waits until the webhook is active.'));
      deliveries.reload();
    } catch (e) {
      replace(out, errorBox('Test not sent: ' + e.message));
    } finally {
      testButton.disabled = false;
    }
  });

  render();
  replace(ctx.main,
    el('p', { class: 'crumbs' }, el('a', { href: '#/webhooks' }, 'Webhooks')),
    heading, actions, out,
    el('section', { 'aria-labelledby': 'settings-h' }, el('h2', { id: 'settings-h' }, 'Settings'), settings),
    el('section', { 'aria-labelledby': 'deliveries-h' }, el('h2', { id: 'deliveries-h' }, 'Deliveries'), deliveries.node));
  deliveries.reload();
}

function settingsList(w, path, changed) {
  const secret = el('code', { class: 'wrap' }, w.secret);
  const show = el('button', { type: 'button', class: 'secondary small-button', 'aria-expanded': 'false' }, 'Show secret');
  show.addEventListener('click', async () => {
    if (show.getAttribute('aria-expanded') === 'true') {
      replace(secret, w.secret);
      show.setAttribute('aria-expanded', 'false');
      replace(show, 'Show secret');
      return;
    }
    try {
      const full = await get(path + '?include_secret=true');
      replace(secret, full.secret);
      show.setAttribute('aria-expanded', 'true');
      replace(show, 'Hide secret');
    } catch (e) {
      announce('Cannot show the secret: ' + e.message);
    }
  });
  const headers = Object.entries(w.headers || {}).map(([k, v]) => k + ': ' + v).join('\n');
  return details([
    ['ID', el('code', {}, w.id)],
    ['URL', el('span', { class: 'wrap' }, w.url)],
    ['Name', w.name],
    ['Description', w.description],
    ['Event patterns', w.events.join(', ')],
    ['State', [stateBadge(w), w.disabled_at ? [' since ', time(w.disabled_at)] : null]],
    ['Receiver', endpointText(w)],
    ['Retry table', (w.retry_policy ? w.retry_policy + ': ' : '') + (w.retry_schedule || []).join(', ')],
    ['Signature', signatureText(w.signature)],
    // Ed25519: the receiver verifies with the public key; the private key is never shown.
    signsWithEd25519(w) ? ['Public key', publicKeyView(path)] : ['Secret', el('span', { class: 'secret-line' }, secret, ' ', show)],
    ['Payload format', w.payload_format],
    ['Event type header', w.event_type_header],
    ['Custom headers', headers ? el('pre', { class: 'inline-pre' }, headers) : null],
    ['Transform', w.transform],
    ['Rate limit', rateLimit(w, path, changed)],
    ['Payload filter', payloadFilter(w, path, changed)],
    ...accessRows(w),
    ['Created', time(w.created_at)],
    ['Updated', time(w.updated_at)],
  ]);
}

/** The rate limit, and a small form to change or remove it (PATCH rate_limit; empty sends null). */
function rateLimit(w, path, changed) {
  const input = rateInput('wh-rate-edit');
  input.value = w.rate_limit == null ? '' : String(w.rate_limit);
  input.setAttribute('aria-label', 'Rate limit, deliveries per second');
  input.setAttribute('aria-describedby', 'wh-rate-edit-help');
  const error = el('div', {});
  const form = el('form', { class: 'inline-form', novalidate: true }, input, ' ',
    el('button', { type: 'submit', class: 'secondary small-button' }, 'Save rate limit'),
    el('p', { id: 'wh-rate-edit-help', class: 'help' }, RATE_HELP), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    input.removeAttribute('aria-invalid');
    try {
      const updated = await patch(path, { rate_limit: input.value.trim() ? Number(input.value) : null });
      announce(updated.rate_limit == null ? 'Rate limit removed.' : 'Rate limit set to ' + updated.rate_limit + ' per second.');
      changed(updated);
    } catch (e) {
      input.setAttribute('aria-invalid', 'true');
      replace(error, errorBox('Not saved: ' + e.message + (e.field ? ' (' + e.field + ')' : '')));
      input.focus();
    }
  });
  return [el('span', { class: 'rate-limit' }, w.rate_limit == null ? 'no limit' : w.rate_limit + ' deliveries per second'),
    mode.readOnly ? null : form];
}

/** The payload filter, and a form to change or remove it (PATCH filter; empty sends null). */
function payloadFilter(w, path, changed) {
  const input = filterInput('wh-filter-edit');
  input.value = w.filter == null ? '' : JSON.stringify(w.filter, null, 2);
  input.setAttribute('aria-label', 'Payload filter, JSON');
  input.setAttribute('aria-describedby', 'wh-filter-edit-help');
  const error = el('div', { class: 'filter-error' });
  const form = el('form', { class: 'stack', novalidate: true }, input,
    el('div', {}, el('button', { type: 'submit', class: 'secondary small-button' }, 'Save filter')),
    el('p', { id: 'wh-filter-edit-help', class: 'help' }, FILTER_HELP), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    input.removeAttribute('aria-invalid');
    try {
      const updated = await patch(path, { filter: input.value.trim() ? parseFilter(input.value) : null });
      announce(updated.filter == null ? 'Payload filter removed.' : 'Payload filter saved.');
      changed(updated);
    } catch (e) {
      input.setAttribute('aria-invalid', 'true');
      replace(error, errorBox('Not saved: ' + e.message + (e.field ? ' (' + e.field + ')' : '')));
      input.focus();
    }
  });
  return [w.filter == null ? el('span', { class: 'payload-filter' }, 'none: every event of the patterns')
    : el('pre', { class: 'inline-pre payload-filter' }, JSON.stringify(w.filter)), mode.readOnly ? null : form];
}

function signatureText(s) {
  if (!s) return null;
  return [s.scheme, s.header && 'header ' + s.header, s.prefix && 'prefix ' + s.prefix, s.encoding].filter(Boolean).join(', ');
}

