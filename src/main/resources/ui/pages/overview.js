// #/overview: deliveries per minute over the last hour (success and failed) and the pending
// backlog, from GET /v1/stats/deliveries?minutes=60. A Herald without that call (404) says
// the statistics are unavailable.
import { get } from '../api.js';
import { el, errorBox, replace, table, time } from '../dom.js';
import { hhmm, lineChart } from '../chart.js';

const SERIES = [
  { key: 'success', label: 'Succeeded', className: 'series-success' },
  { key: 'failed', label: 'Failed', className: 'series-failed' },
];

export async function overviewPage(ctx) {
  const body = el('div', { 'aria-busy': 'true' }, el('p', {}, 'Loading statistics…'));
  replace(ctx.main, el('h1', {}, 'Overview'), body);
  let stats;
  try {
    stats = await get('/stats/deliveries?minutes=60');
  } catch (e) {
    if (!ctx.current()) return;
    body.removeAttribute('aria-busy');
    replace(body, e.status === 404
      ? el('div', { class: 'notice', role: 'status' }, el('p', {}, el('strong', {}, 'Statistics unavailable.')),
        el('p', {}, 'This Herald does not offer delivery statistics (GET /v1/stats/deliveries answered 404). The webhooks and their deliveries are on the Webhooks page.'))
      : errorBox('Statistics unavailable: ' + e.message));
    return;
  }
  if (!ctx.current()) return;
  body.removeAttribute('aria-busy');
  const minutes = Array.isArray(stats.minutes) ? stats.minutes : [];
  const total = (key) => minutes.reduce((sum, m) => sum + (Number(m[key]) || 0), 0);
  const busiest = minutes.reduce((best, m) => (m.success + m.failed > (best ? best.success + best.failed : -1) ? m : best), null);
  const summary = `Last ${minutes.length} minutes: ${total('success')} deliveries succeeded and ${total('failed')} failed`
    + (busiest && busiest.success + busiest.failed > 0 ? `; busiest minute ${hhmm(busiest.start)} with ${busiest.success + busiest.failed}.` : '.');
  replace(body,
    el('section', { 'aria-labelledby': 'backlog-h' },
      el('h2', { id: 'backlog-h' }, 'Pending backlog'),
      el('p', { class: 'big-number' }, String(stats.pending ?? '—'), ' ', el('span', { class: 'muted' }, 'deliveries waiting')),
      el('p', { class: 'muted' }, 'Measured ', stats.pending_measured_at ? time(stats.pending_measured_at) : 'now', '.')),
    el('section', { 'aria-labelledby': 'chart-h' },
      el('h2', { id: 'chart-h' }, 'Deliveries per minute, last hour'),
      el('p', { id: 'chart-summary' }, summary),
      el('ul', { class: 'legend' }, SERIES.map((s) => el('li', {}, el('span', { class: 'swatch ' + s.className, 'aria-hidden': 'true' }), s.label))),
      el('div', { class: 'chart-box' }, lineChart(minutes, SERIES, 'Deliveries per minute, last hour', summary)),
      el('details', {}, el('summary', {}, 'The numbers as a table'),
        table('Deliveries per minute', ['Minute', 'Succeeded', 'Failed'], minutes.map((m) => el('tr', {},
          el('th', { scope: 'row' }, time(m.start)), el('td', {}, String(m.success)), el('td', {}, String(m.failed))))))));
}
