// #/applications: the operator's applications (one per customer), paged, and the create form.
import { get, post, query } from '../api.js';
import { announce, el, errorBox, link, moreButton, replace, table, time } from '../dom.js';

export async function applicationsPage(ctx) {
  const listArea = el('div', { 'aria-busy': 'true' }, el('p', {}, 'Loading applications…'));
  const more = el('div', {});
  replace(ctx.main,
    el('h1', {}, 'Applications'),
    el('p', { class: 'help' }, 'An application is one of your customers: it owns its webhooks and keys, and events sent to it reach only its webhooks.'),
    el('section', { 'aria-labelledby': 'apps-h' }, el('h2', { id: 'apps-h' }, 'All applications'), listArea, more),
    el('section', { 'aria-labelledby': 'app-create-h' }, el('h2', { id: 'app-create-h' }, 'Create an application'),
      createForm(() => load())));

  const rows = [];
  async function load(cursor) {
    try {
      const page = await get('/applications' + query({ limit: 50, cursor }));
      if (!ctx.current()) return;
      if (!cursor) rows.length = 0;
      rows.push(...page.data);
      render();
      replace(more, page.has_more ? moreButton(() => load(page.next_cursor)) : null);
    } catch (e) {
      if (ctx.current()) replace(listArea, errorBox('Cannot list the applications: ' + e.message));
    }
  }

  function render() {
    listArea.removeAttribute('aria-busy');
    if (rows.length === 0) {
      replace(listArea, el('p', {}, 'No applications yet. Create one below.'));
      return;
    }
    replace(listArea, table('Applications', ['Application', 'UID', 'ID', 'Created'], rows.map((a) =>
      el('tr', { 'data-application': a.id },
        el('th', { scope: 'row', class: 'wrap' }, link(a.name, 'applications', a.id)),
        el('td', { class: 'wrap' }, a.uid || '—'),
        el('td', {}, el('code', {}, a.id)),
        el('td', {}, time(a.created_at))))));
  }

  await load();
}

function createForm(created) {
  const name = el('input', { id: 'app-name', name: 'name', type: 'text', required: true, maxlength: '200' });
  const uid = el('input', { id: 'app-uid', name: 'uid', type: 'text', maxlength: '64', spellcheck: 'false', 'aria-describedby': 'app-uid-help' });
  const error = el('div', {});
  const form = el('form', { class: 'stack create', novalidate: true },
    el('div', { class: 'two' },
      el('div', { class: 'field' }, el('label', { for: 'app-name' }, 'Name'), name),
      el('div', { class: 'field' }, el('label', { for: 'app-uid' }, 'Your id for it (optional)'), uid,
        el('p', { id: 'app-uid-help', class: 'help' }, 'Letters, digits, . _ -; works in place of its id in the API.'))),
    error,
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Create application')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    const body = { name: name.value.trim() };
    if (uid.value.trim()) body.uid = uid.value.trim();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const app = await post('/applications', body);
      form.reset();
      announce('Application created: ' + app.name + '.');
      created(app);
    } catch (e) {
      const target = { name, uid }[e.field];
      if (target) target.setAttribute('aria-invalid', 'true');
      replace(error, errorBox('Not created: ' + e.message + (e.field ? ' (' + e.field + ')' : '')));
      (target || name).focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
