// Sign in with an API key: checked against the API before it is kept (sessionStorage only).
import { call, session } from '../api.js';
import { announce, el, errorBox, replace } from '../dom.js';

export function signInPage(ctx, signedIn) {
  const error = el('div', { id: 'signin-error' });
  const input = el('input', {
    id: 'api-key', name: 'api-key', type: 'password', required: true, autocomplete: 'current-password',
    spellcheck: 'false', 'aria-describedby': 'api-key-help signin-error',
  });
  const form = el('form', { class: 'stack signin', novalidate: true },
    el('div', { class: 'field' },
      el('label', { for: 'api-key' }, 'API key'),
      input,
      el('p', { id: 'api-key-help', class: 'help' },
        'A key from herald.api.keys, or the one Herald generated in data/api-key. It is kept in this tab only and sent to this Herald only.')),
    error,
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Sign in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    replace(error);
    if (!key) {
      replace(error, errorBox('Enter an API key.'));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      // Any call that needs the key says whether it is valid.
      await call('GET', '/webhooks?limit=1', undefined, key);
      session.signIn(key);
      input.value = '';
      announce('Signed in.');
      signedIn();
    } catch (e) {
      if (!ctx.current()) return;
      replace(error, errorBox('Sign-in failed: ' + e.message));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  replace(ctx.main, el('h1', {}, 'Sign in to Herald'), form);
  input.focus();
}
