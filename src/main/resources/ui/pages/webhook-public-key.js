// An Ed25519-signed webhook (scheme standard-webhooks-ed25519) has a key pair instead of a shared
// secret: the receiver verifies with the public key (GET /v1/webhooks/{id}/public-key), which is
// safe to show and copy. The private key never leaves Herald, so the page has no secret to show.
import { get } from '../api.js';
import { announce, el, errorBox, replace, time } from '../dom.js';

export const ED25519 = 'standard-webhooks-ed25519';

/** Whether webhook w signs with Ed25519. */
export function signsWithEd25519(w) {
  return Boolean(w && w.signature && w.signature.scheme === ED25519);
}

/** The public key of the webhook at path, with a copy button, and the previous keys still signing. */
export function publicKeyView(path) {
  const box = el('div', { class: 'public-key', 'aria-busy': 'true' }, 'Loading the public key…');
  get(path + '/public-key').then((answer) => {
    box.removeAttribute('aria-busy');
    const previous = (answer && answer.previous_public_keys) || [];
    replace(box, keyLine('wh-public-key', 'Public key', answer.public_key),
      previous.length === 0 ? null : el('div', { class: 'previous-keys' },
        el('p', { class: 'help' }, 'Previous keys, still signing beside it until:'),
        el('ul', {}, previous.map((p, i) => el('li', {},
          keyLine('wh-public-key-' + (i + 1), 'Previous public key ' + (i + 1), p.public_key), ' until ', time(p.until))))));
  }).catch((e) => {
    box.removeAttribute('aria-busy');
    replace(box, errorBox('Cannot show the public key: ' + e.message));
  });
  return box;
}

/** A read-only field holding the key (easy to select by hand too) and a button that copies it. */
function keyLine(id, labelText, key) {
  const input = el('input', { id, type: 'text', readonly: true, value: key, class: 'key-input', spellcheck: 'false',
    'aria-label': labelText, 'data-public-key': key });
  const copy = el('button', { type: 'button', class: 'secondary small-button', 'aria-label': 'Copy ' + labelText.toLowerCase() }, 'Copy');
  copy.addEventListener('click', async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(key);
      announce(labelText + ' copied.');
    } catch {
      // No clipboard access (an insecure origin, a refused permission): the key is selected to copy by hand.
      announce('Not copied: no clipboard here. The key is selected: copy it with Ctrl+C.');
    }
  });
  return el('span', { class: 'key-line' }, input, ' ', copy);
}
