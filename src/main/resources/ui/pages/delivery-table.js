// A list of deliveries, newest first: a labelled status filter, "Load more" paging on the
// API's cursor, and a refresh every few seconds while the first page shows a pending one.
import { el, errorBox, link, moreButton, replace, statusBadge, table, time } from '../dom.js';

const REFRESH_MS = 2000;

/** fetchPage({status, cursor, limit}) answers {deliveries, has_more, next_cursor}. */
export function deliveryTable(ctx, fetchPage) {
  const filter = el('select', { id: 'status-filter' },
    el('option', { value: '' }, 'All'), el('option', { value: 'pending' }, 'Pending'),
    el('option', { value: 'success' }, 'Success'), el('option', { value: 'failed' }, 'Failed'));
  const refresh = el('button', { type: 'button', class: 'secondary' }, 'Refresh');
  const area = el('div', {}, el('p', {}, 'Loading deliveries…'));
  const more = el('div', {});
  const node = el('div', {},
    el('div', { class: 'toolbar' },
      el('div', { class: 'field inline' }, el('label', { for: 'status-filter' }, 'Status'), filter), refresh),
    area, more);
  let rows = [];
  let pages = 0;
  let timer = null;
  let loading = 0;

  async function load(cursor) {
    const mine = ++loading;
    try {
      const page = await fetchPage({ status: filter.value, cursor, limit: 25 });
      if (!ctx.current() || mine !== loading) return;
      rows = cursor ? rows.concat(page.deliveries) : page.deliveries;
      pages = cursor ? pages + 1 : 1;
      render();
      replace(more, page.has_more ? moreButton(() => load(page.next_cursor)) : null);
      schedule();
    } catch (e) {
      if (ctx.current()) replace(area, errorBox('Cannot list the deliveries: ' + e.message));
    }
  }

  function schedule() {
    clearTimeout(timer);
    // Only the first page refreshes: a refresh would drop the pages the user loaded.
    if (pages === 1 && rows.some((d) => d.status === 'pending')) {
      timer = setTimeout(() => { if (ctx.current()) load(); }, REFRESH_MS);
    }
  }

  function render() {
    if (rows.length === 0) {
      replace(area, el('p', {}, filter.value ? 'No ' + filter.value + ' deliveries.' : 'No deliveries yet.'));
      return;
    }
    replace(area, table('Deliveries, newest first', ['Delivery', 'Status', 'HTTP', 'Attempts', 'Created', 'Delivered / next attempt', 'Error'],
      rows.map((d) => el('tr', { 'data-delivery': d.id },
        el('th', { scope: 'row' }, link(d.id, 'deliveries', d.id)),
        el('td', {}, statusBadge(d.status)),
        el('td', {}, d.status_code ?? '—'),
        el('td', {}, String(d.attempts)),
        el('td', {}, time(d.created_at)),
        el('td', {}, d.delivered_at ? time(d.delivered_at) : d.next_attempt_at ? ['next ', time(d.next_attempt_at)] : '—'),
        el('td', { class: 'error-cell' }, d.error || '—')))));
  }

  filter.addEventListener('change', () => load());
  refresh.addEventListener('click', () => load());
  return { node, reload: () => load() };
}
