// Changes a webhook's URL, name and event patterns (PATCH /v1/webhooks/{id}); the other settings keep
// their own controls (rate limit) or the API. Not shown with a read-only portal link.
import { patch } from '../api.js';
import { announce, el, errorBox, replace } from '../dom.js';
import { catalogChoices } from './webhook-form.js';

/** The form for webhook w at path; changed(updated) runs after a 200. */
export function editForm(w, path, changed) {
  const url = el('input', { id: 'wh-edit-url', name: 'url', type: 'url', required: true, inputmode: 'url', value: w.url });
  const name = el('input', { id: 'wh-edit-name', name: 'name', type: 'text', maxlength: '200', value: w.name || '' });
  const events = el('input', { id: 'wh-edit-events', name: 'events', type: 'text', required: true, value: w.events.join(', '),
    'aria-describedby': 'wh-edit-events-help' });
  const error = el('div', {});
  const form = el('form', { class: 'stack', novalidate: true },
    el('div', { class: 'field' }, el('label', { for: 'wh-edit-url' }, 'URL'), url),
    el('div', { class: 'field' }, el('label', { for: 'wh-edit-name' }, 'Name (empty: none)'), name),
    el('div', { class: 'field' }, el('label', { for: 'wh-edit-events' }, 'Event patterns'), events,
      el('p', { id: 'wh-edit-events-help', class: 'help' }, 'Comma separated: a type (order.paid), a prefix (order.*) or * for all.')),
    catalogChoices(events, 'wh-edit-type-'),
    error,
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Save changes')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    const body = {
      url: url.value.trim(),
      name: name.value.trim() || null,
      events: events.value.split(',').map((s) => s.trim()).filter(Boolean),
    };
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const updated = await patch(path, body);
      announce('Saved ' + (updated.name || updated.url) + '.');
      changed(updated);
    } catch (e) {
      const target = { url, name, events }[String(e.field || '').replace(/\[\d+]$/, '')];
      if (target) target.setAttribute('aria-invalid', 'true');
      replace(error, errorBox('Not saved: ' + e.message + (e.field ? ' (' + e.field + ')' : '')));
      (target || url).focus();
    } finally {
      button.disabled = false;
    }
  });
  return el('details', { class: 'edit' }, el('summary', {}, 'Edit URL, name and events'), form);
}
