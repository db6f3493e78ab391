// What can be done to one webhook, the same on the list and on its own page:
// pause/resume (PATCH active), rotate the secret, delete (after a confirm).
import { del, patch, post, seg } from '../api.js';
import { announce, el, errorBox, replace } from '../dom.js';
import { signsWithEd25519 } from './webhook-public-key.js';

/** The state in words: active, paused (by hand) or disabled by Herald with the API's reason. */
export function stateText(w) {
  if (w.active) return 'active';
  if (w.disabled_reason === 'gone') return 'disabled: the receiver answered 410 Gone';
  if (w.disabled_reason === 'failing') return 'disabled: every attempt failed for too long';
  if (w.disabled_reason) return 'disabled: ' + w.disabled_reason;
  return 'paused';
}

export function stateBadge(w) {
  const kind = w.active ? 'success' : w.disabled_reason ? 'failed' : 'pending';
  return el('span', { class: 'badge badge-' + kind, 'data-state': w.active ? 'active' : w.disabled_reason ? 'disabled' : 'paused' },
    stateText(w));
}

export function label(w) {
  return w.name || w.url;
}

/**
 * The action buttons for webhook w. changed(updated) is called after a pause or resume,
 * deleted() after a delete; messages go to the live region, errors and new secrets to out.
 */
export function actionButtons(w, out, { changed, deleted }) {
  const name = label(w);
  const busy = async (button, work) => {
    button.disabled = true;
    replace(out);
    try {
      await work();
    } catch (e) {
      replace(out, errorBox(e.message));
    } finally {
      button.disabled = false;
    }
  };
  const toggle = el('button', { type: 'button', class: 'secondary', 'aria-label': (w.active ? 'Pause ' : w.disabled_reason ? 'Re-enable ' : 'Resume ') + name },
    w.active ? 'Pause' : w.disabled_reason ? 'Re-enable' : 'Resume');
  toggle.addEventListener('click', () => busy(toggle, async () => {
    const updated = await patch('/webhooks/' + seg(w.id), { active: !w.active });
    announce((updated.active ? 'Resumed ' : 'Paused ') + name + '.');
    changed(updated);
  }));
  // A key pair (Ed25519) rotates to a new pair: the receiver needs the new public key, and no secret is shown.
  const pair = signsWithEd25519(w);
  const what = pair ? 'key pair' : 'secret';
  const rotate = el('button', { type: 'button', class: 'secondary', 'aria-label': 'Rotate the ' + what + ' of ' + name }, 'Rotate ' + what);
  rotate.addEventListener('click', () => busy(rotate, async () => {
    if (!window.confirm('Rotate the signing ' + what + ' of ' + name + '? The old one keeps signing for 24 hours beside the new one.')) return;
    const rotated = await post('/webhooks/' + seg(w.id) + '/rotate-secret', {});
    const until = rotated.previous_secret_expires_at
      ? 'The old ' + (pair ? 'key' : 'secret') + ' still signs until ' + new Date(rotated.previous_secret_expires_at).toLocaleString() + '.' : '';
    announce((pair ? 'Key pair' : 'Secret') + ' rotated for ' + name + '.');
    if (pair) {
      replace(out, el('div', { class: 'notice', role: 'note' },
        el('p', {}, 'New public key for the receiver (the webhook\'s page shows it too):'),
        el('code', { class: 'public-key wrap', 'data-rotated-public-key': rotated.public_key }, rotated.public_key), until ? el('p', {}, until) : null));
      changed(w);
      return;
    }
    replace(out, newSecret(rotated, until));
  }));
  const remove = el('button', { type: 'button', class: 'danger', 'aria-label': 'Delete ' + name }, 'Delete');
  remove.addEventListener('click', () => busy(remove, async () => {
    if (!window.confirm('Delete the webhook ' + name + '? Its pending deliveries end as failed.')) return;
    await del('/webhooks/' + seg(w.id));
    announce('Deleted ' + name + '.');
    deleted();
  }));
  return el('div', { class: 'row-actions' }, toggle, rotate, remove);
}

/**
 * A new secret shown once, in full (after create or rotation), with what to do with it; for a key
 * pair (standard-webhooks-ed25519) its public key: Herald never shows the secret key.
 */
export function newSecret(answer, note) {
  if (answer.public_key) {
    return el('div', { class: 'notice', role: 'note' },
      el('p', {}, 'Signed with Ed25519. Public key for the receiver, which verifies with it (Herald keeps the secret key): '),
      el('code', { class: 'public-key wrap' }, answer.public_key),
      note ? el('p', {}, note) : null);
  }
  return el('div', { class: 'notice', role: 'note' },
    el('p', {}, 'New signing secret (masked elsewhere; "Show secret" on the webhook page shows it again): '),
    el('code', { class: 'secret wrap' }, answer.secret),
    note ? el('p', {}, note) : null);
}
