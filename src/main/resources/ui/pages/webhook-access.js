// How Herald gets into a receiver beyond the signature (issue 28), the same in the create form, the
// webhook page's edit form, the dashboard and the portal: a client certificate for mutual TLS
// (tls) and an OAuth2 client-credentials token (auth). Their secrets (the key, the client secret) are
// never shown: the API answers "****", and a PATCH that leaves them out keeps the stored ones.
import { patch } from '../api.js';
import { announce, details, el, errorBox, replace } from '../dom.js';

export const OAUTH2 = 'oauth2_client_credentials';
const METHODS = [['client_secret_basic', 'client_secret_basic: HTTP Basic (default)'],
  ['client_secret_post', 'client_secret_post: in the form body']];

function pemArea(id, name, placeholder) {
  return el('textarea', { id, name, rows: '5', spellcheck: 'false', autocomplete: 'off', class: 'code-input', placeholder });
}

function field(id, labelText, control, help) {
  if (help) control.setAttribute('aria-describedby', id + '-help');
  return el('div', { class: 'field' }, el('label', { for: id }, labelText), control,
    help ? el('p', { id: id + '-help', class: 'help' }, help) : null);
}

function removeChoice(id, text) {
  return el('div', { class: 'check' }, el('input', { type: 'checkbox', id, name: id }), ' ', el('label', { for: id }, text));
}

/**
 * The two sections for webhook w (null: the create form), ids starting with prefix. body() gives
 * the request's tls and auth keys (only what changed on edit), target(field) the control the
 * API's error names, showError(e) marks it with the message beside it, clear() unmarks all.
 */
export function accessFields(prefix, w) {
  const tls = w && w.tls;
  const auth = w && w.auth && w.auth.type === OAUTH2 ? w.auth : null;
  const c = {
    cert: pemArea(prefix + '-tls-cert', 'client_certificate', '-----BEGIN CERTIFICATE-----'),
    key: pemArea(prefix + '-tls-key', 'client_key', '-----BEGIN PRIVATE KEY-----'),
    ca: pemArea(prefix + '-tls-ca', 'ca_certificate', '-----BEGIN CERTIFICATE-----'),
    tokenUrl: el('input', { id: prefix + '-auth-token-url', name: 'token_url', type: 'url', inputmode: 'url', placeholder: 'https://auth.example.com/oauth/token' }),
    clientId: el('input', { id: prefix + '-auth-client-id', name: 'client_id', type: 'text', autocomplete: 'off' }),
    // new-password: a browser must not fill in a password it saved for this site.
    secret: el('input', { id: prefix + '-auth-secret', name: 'client_secret', type: 'password', autocomplete: 'new-password' }),
    scope: el('input', { id: prefix + '-auth-scope', name: 'scope', type: 'text', placeholder: 'webhooks:write' }),
    audience: el('input', { id: prefix + '-auth-audience', name: 'audience', type: 'text' }),
    method: el('select', { id: prefix + '-auth-method', name: 'method' }, METHODS.map(([v, t]) => el('option', { value: v }, t))),
  };
  if (tls) {
    c.cert.value = tls.client_certificate || '';
    c.ca.value = tls.ca_certificate || '';
  }
  if (auth) {
    c.tokenUrl.value = auth.token_url || '';
    c.clientId.value = auth.client_id || '';
    c.scope.value = auth.scope || '';
    c.audience.value = auth.audience || '';
    c.method.value = auth.method || 'client_secret_basic';
  }
  const tlsRemove = tls ? removeChoice(prefix + '-tls-remove', 'Remove the client certificate (send none)') : null;
  const authRemove = auth ? removeChoice(prefix + '-auth-remove', 'Remove OAuth2 (send no token)') : null;
  const keep = 'Leave empty to keep the current key.';
  const tlsSection = el('details', { class: 'access', 'data-access': 'tls', open: Boolean(tls) },
    el('summary', {}, 'Receiver requires a client certificate (mutual TLS)'),
    el('div', { class: 'stack' },
      field(c.cert.id, 'Client certificate (PEM)', c.cert, 'The certificate Herald presents, then any intermediates.'),
      field(c.key.id, 'Client key (PEM)', c.key, tls ? keep + ' Never shown again.' : 'Its private key; never shown again (sealed like the signing secret).'),
      field(c.ca.id, 'CA certificate (PEM, optional)', c.ca, 'The one CA the receiver\'s certificate must chain to; empty: the usual trusted CAs.'),
      tlsRemove));
  const authSection = el('details', { class: 'access', 'data-access': 'auth', open: Boolean(auth) },
    el('summary', {}, 'Receiver requires an OAuth2 token (client credentials)'),
    el('div', { class: 'stack' },
      field(c.tokenUrl.id, 'Token URL', c.tokenUrl, 'Herald asks it for a token and sends it as Authorization: Bearer.'),
      el('div', { class: 'two' },
        field(c.clientId.id, 'Client ID', c.clientId),
        field(c.secret.id, 'Client secret', c.secret, auth ? 'Leave empty to keep the current secret (while the token URL stays the same).' : 'Never shown again.')),
      el('div', { class: 'two' },
        field(c.scope.id, 'Scope (optional)', c.scope),
        field(c.audience.id, 'Audience (optional)', c.audience)),
      field(c.method.id, 'Client authentication', c.method),
      authRemove));

  const removing = (choice) => Boolean(choice && choice.querySelector('input').checked);
  const v = (control) => control.value.trim();

  function tlsBody() {
    if (removing(tlsRemove)) return null;
    const cert = v(c.cert);
    const key = v(c.key);
    const ca = v(c.ca);
    const changed = tls ? cert !== (tls.client_certificate || '').trim() || ca !== (tls.ca_certificate || '').trim() || key !== ''
      : cert !== '' || key !== '' || ca !== '';
    if (!changed) return undefined;
    // Empty fields are left out: the API names a missing one, and a missing key keeps the stored one.
    const out = {};
    if (cert) out.client_certificate = cert;
    if (key) out.client_key = key;
    if (ca) out.ca_certificate = ca;
    return out;
  }

  function authBody() {
    if (removing(authRemove)) return null;
    const values = { token_url: v(c.tokenUrl), client_id: v(c.clientId), scope: v(c.scope), audience: v(c.audience) };
    const secret = c.secret.value;
    const changed = auth ? Object.entries(values).some(([k, value]) => value !== (auth[k] || ''))
      || c.method.value !== auth.method || secret !== ''
      : Object.values(values).some(Boolean) || secret !== '';
    if (!changed) return undefined;
    const out = { type: OAUTH2 };
    for (const [k, value] of Object.entries(values)) if (value) out[k] = value;
    if (secret) out.client_secret = secret;
    out.method = c.method.value;
    return out;
  }

  const targets = {
    tls: c.cert, 'tls.client_certificate': c.cert, 'tls.client_key': c.key, 'tls.ca_certificate': c.ca,
    auth: c.tokenUrl, 'auth.type': c.tokenUrl, 'auth.token_url': c.tokenUrl, 'auth.client_id': c.clientId,
    'auth.client_secret': c.secret, 'auth.scope': c.scope, 'auth.audience': c.audience, 'auth.method': c.method,
  };
  const target = (name) => targets[name] || (String(name || '').startsWith('tls.') ? c.cert
    : String(name || '').startsWith('auth.') ? c.tokenUrl : null);

  return {
    node: el('div', { class: 'access-sections' }, tlsSection, authSection),
    /** Adds tls and auth to body when they are set (create) or changed (edit); null removes one. */
    addTo(body) {
      const t = tlsBody();
      const a = authBody();
      if (t !== undefined) body.tls = t;
      if (a !== undefined) body.auth = a;
      return body;
    },
    target,
    /** The API's message beside the field it names (its section opened); the control, or null. */
    showError(e) {
      const control = target(e.field);
      if (!control) return null;
      control.setAttribute('aria-invalid', 'true');
      const id = control.id + '-error';
      const note = el('p', { id, class: 'field-error', 'data-field': e.field }, e.message);
      control.insertAdjacentElement('afterend', note);
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
      control.closest('details').open = true;
      return control;
    },
    clear() {
      for (const note of [tlsSection, authSection].flatMap((s) => [...s.querySelectorAll('.field-error')])) {
        const control = document.getElementById(note.id.replace(/-error$/, ''));
        if (control) {
          control.removeAttribute('aria-invalid');
          const rest = (control.getAttribute('aria-describedby') || '').split(' ').filter((d) => d && d !== note.id);
          if (rest.length) control.setAttribute('aria-describedby', rest.join(' '));
          else control.removeAttribute('aria-describedby');
        }
        note.remove();
      }
    },
  };
}

/** The webhook page's rows: what the receiver is shown, secrets as the API masks them. */
export function accessRows(w) {
  const t = w.tls;
  const a = w.auth;
  return [
    ['Client certificate', t ? el('div', { class: 'access-view', 'data-access-view': 'tls' },
      el('pre', { class: 'inline-pre pem' }, t.client_certificate),
      details([['Client key', el('code', {}, t.client_key)],
        ['CA certificate', t.ca_certificate ? el('pre', { class: 'inline-pre pem' }, t.ca_certificate) : 'the usual trusted CAs']]))
      : 'none'],
    ['OAuth2 token', a ? el('div', { class: 'access-view', 'data-access-view': 'auth' }, details([
      ['Token URL', el('span', { class: 'wrap' }, a.token_url)],
      ['Client ID', el('code', {}, a.client_id)],
      ['Client secret', el('code', {}, a.client_secret)],
      ['Scope', a.scope],
      ['Audience', a.audience],
      ['Client authentication', a.method],
    ])) : 'none'],
  ];
}

/** The form on the webhook page that changes tls and auth (PATCH); changed(updated) after a 200. */
export function accessForm(w, path, changed) {
  const fields = accessFields('wh-acc', w);
  const error = el('div', {});
  const form = el('form', { class: 'stack', novalidate: true }, fields.node, error,
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Save receiver access')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    fields.clear();
    const body = fields.addTo({});
    if (Object.keys(body).length === 0) {
      announce('Nothing changed.');
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const updated = await patch(path, body);
      announce('Receiver access saved.');
      changed(updated);
    } catch (e) {
      const control = fields.showError(e);
      replace(error, errorBox('Not saved: ' + e.message + (e.field ? ' (' + e.field + ')' : '')));
      if (control) control.focus();
    } finally {
      button.disabled = false;
    }
  });
  return el('details', { class: 'edit access-edit' }, el('summary', {}, 'Edit receiver access: client certificate, OAuth2'), form);
}
