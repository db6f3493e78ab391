// The create form. Field names and allowed values are the API's (POST /v1/webhooks, docs/api.md).
import { get, post } from '../api.js';
import { announce, el, errorBox, replace } from '../dom.js';
import { accessFields } from './webhook-access.js';

/** Herald's shipped retry tables (herald.retry.policies.*); the API has no call that lists them. */
const RETRY_POLICIES = [
  ['', 'Herald\'s default table'],
  ['standard', 'standard: 0s, 1m, 5m, 30m, 2h'],
  ['quick', 'quick: 0s, 1s, 5s, 30s'],
  ['gentle', 'gentle: 0s, 30s, 5m, 30m, 2h'],
  ['brief', 'brief: 0s, 10s, 100s'],
  ['long', 'long: 0s, 5s, 5m, 30m, 2h, 5h, 10h, 10h'],
];

/** Signature presets (docs/dialects.md): the API's signature object for each. */
const SIGNATURES = [
  ['default', 'HMAC-SHA256 hex in X-Webhook-Signature (default)', { scheme: 'hmac-sha256' }],
  ['github', 'GitHub style: X-Hub-Signature-256: sha256=<hex>', { scheme: 'hmac-sha256', header: 'X-Hub-Signature-256', prefix: 'sha256=' }],
  ['sha256-base64', 'sha256=<base64> (HMAC-SHA256, base64)', { scheme: 'hmac-sha256', prefix: 'sha256=', encoding: 'base64' }],
  ['standard-webhooks', 'Standard Webhooks / Svix (webhook-signature: v1,<base64>)', { scheme: 'standard-webhooks' }],
  ['standard-webhooks-ed25519', 'Standard Webhooks Ed25519 (v1a,<base64>)', { scheme: 'standard-webhooks-ed25519' }],
  ['timestamped', 'Stripe style: t=<unix>,v1=<hex>', { scheme: 'timestamped' }],
  // A key pair instead of a shared secret: receivers verify with the public key (webhook-public-key.js).
  ['standard-webhooks-ed25519', 'Standard Webhooks, Ed25519 (v1a)', { scheme: 'standard-webhooks-ed25519' }],
];

function field(id, labelText, control, help) {
  if (help) control.setAttribute('aria-describedby', id + '-help');
  return el('div', { class: 'field' }, el('label', { for: id }, labelText), control,
    help ? el('p', { id: id + '-help', class: 'help' }, help) : null);
}

function select(id, options) {
  return el('select', { id, name: id }, options.map(([value, text]) => el('option', { value }, text)));
}

/** The form; created(webhook) runs after a 201. */
export function createForm(created) {
  const url = el('input', { id: 'wh-url', name: 'url', type: 'url', required: true, inputmode: 'url', placeholder: 'https://example.com/hooks' });
  const name = el('input', { id: 'wh-name', name: 'name', type: 'text', maxlength: '200' });
  const events = el('input', { id: 'wh-events', name: 'events', type: 'text', required: true, value: '*' });
  const policy = select('wh-policy', RETRY_POLICIES);
  const schedule = el('input', { id: 'wh-schedule', name: 'retry_schedule', type: 'text', placeholder: '0s, 1m, 1h' });
  const signature = select('wh-signature', SIGNATURES);
  const header = el('input', { id: 'wh-sig-header', name: 'signature_header', type: 'text', placeholder: 'X-Webhook-Signature' });
  const format = select('wh-format', [['envelope', 'envelope: {id, type, created_at, data}'], ['event-payload', 'event-payload: {event, payload}']]);
  const rate = rateInput('wh-rate');
  const filter = filterInput('wh-filter');
  const access = accessFields('wh', null);
  const error = el('div', {});
  const form = el('form', { class: 'stack create', novalidate: true },
    field('wh-url', 'URL', url, 'Where Herald POSTs each event.'),
    field('wh-name', 'Name (optional)', name),
    field('wh-events', 'Event patterns', events, 'Comma separated: a type (order.paid), a prefix (order.*) or * for all.'),
    catalogChoices(events),
    el('div', { class: 'two' },
      field('wh-policy', 'Retry table', policy),
      field('wh-schedule', 'Own retry delays (optional)', schedule, 'Comma separated delays before each attempt; used instead of the table.')),
    el('div', { class: 'two' },
      field('wh-signature', 'Signature', signature),
      field('wh-sig-header', 'Signature header (optional)', header, 'Another header name for the signature; not with Standard Webhooks.')),
    el('div', { class: 'two' },
      field('wh-format', 'Payload format', format),
      field('wh-rate', 'Rate limit (optional)', rate, RATE_HELP)),
    field('wh-filter', 'Payload filter (optional)', filter, FILTER_HELP),
    access.node,
    error,
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Create webhook')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    access.clear();
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    const body = {
      url: url.value.trim(),
      events: list(events.value),
      payload_format: format.value,
      signature: { ...SIGNATURES.find(([v]) => v === signature.value)[2] },
    };
    if (name.value.trim()) body.name = name.value.trim();
    if (header.value.trim()) body.signature.header = header.value.trim();
    const delays = list(schedule.value);
    if (delays.length > 0) body.retry_schedule = delays;
    else if (policy.value) body.retry_policy = policy.value;
    if (rate.value.trim()) body.rate_limit = Number(rate.value);
    access.addTo(body);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      if (filter.value.trim()) body.filter = parseFilter(filter.value);
      const webhook = await post('/webhooks', body);
      form.reset();
      announce('Webhook created: ' + (webhook.name || webhook.url) + '.');
      created(webhook);
    } catch (e) {
      // The API names the field it refused (url, events, signature.header, ...).
      const target = { url, events, name, retry_schedule: schedule, retry_policy: policy, signature: signature,
        'signature.scheme': signature, 'signature.header': header, payload_format: format, rate_limit: rate, filter }[e.field]
        || access.showError(e);
      if (target) target.setAttribute('aria-invalid', 'true');
      replace(error, errorBox('Not created: ' + e.message + (e.field ? ' (' + e.field + ')' : '')));
      (target || url).focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/**
 * The catalog's event types (GET /v1/event-types) as checkboxes that add or take out a type in the
 * patterns field; nothing is shown when the catalog is empty or cannot be read.
 */
export function catalogChoices(events, idPrefix = 'wh-type-') {
  const box = el('div', {});
  get('/event-types?limit=100').then((page) => {
    const types = (page && page.data) || [];
    if (types.length === 0) return;
    const inList = (name) => list(events.value).includes(name);
    const boxes = types.map((t, i) => {
      const id = idPrefix + i;
      const check = el('input', { type: 'checkbox', id, value: t.name, 'data-event-type': t.name });
      check.addEventListener('change', () => {
        const current = list(events.value).filter((v) => v !== t.name && !(check.checked && v === '*'));
        events.value = (check.checked ? current.concat(t.name) : current).join(', ');
      });
      events.addEventListener('input', () => { check.checked = inList(t.name); });
      return el('div', { class: 'check' }, check, ' ', el('label', { for: id }, el('code', {}, t.name)),
        t.description ? el('span', { class: 'muted small' }, ' ', t.description) : null);
    });
    replace(box, el('fieldset', { class: 'catalog' }, el('legend', {}, 'Event types to pick from'), boxes));
  }).catch(() => {});
  return box;
}

export const RATE_HELP = 'Deliveries per second at most (1 to 10000), spread evenly, across all instances; empty: no limit.';

/** A whole number of deliveries per second; the API checks it (1 to 10000) and names it when it refuses. */
export function rateInput(id) {
  return el('input', { id, name: 'rate_limit', type: 'number', min: '1', max: '10000', step: '1', inputmode: 'numeric', placeholder: 'no limit' });
}

export const FILTER_HELP = 'A JSON object the event {id, type, application, data} must match, e.g. '
  + '{"data.amount": {"$gt": 100}}; operators $eq $neq $gt $gte $lt $lte $in $nin $exist $regex $and $or $not. '
  + 'Other events get no delivery here. Empty: every event of the patterns.';

/** The payload filter as JSON text (docs/api.md, Payload filters). */
export function filterInput(id) {
  return el('textarea', { id, name: 'filter', rows: '4', spellcheck: 'false', class: 'code-input',
    placeholder: '{"data.amount": {"$gt": 100}}' });
}

/** The filter text as JSON; text that is not JSON is refused here, in the API's error shape, field "filter". */
export function parseFilter(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw Object.assign(new Error('the filter is not valid JSON: ' + e.message), { field: 'filter' });
  }
}

function list(text) {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
