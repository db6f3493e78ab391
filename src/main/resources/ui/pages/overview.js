// #/overview: deliveries per minute over the last hour (success and failed) and the pending
// backlog, from GET /v1/stats/deliveries?minutes=60, refreshed on a timer while the page is shown
// (Page Visibility API: no calls from a hidden tab, one at once when it is shown again). A Herald
// without that call (404) says the statistics are unavailable.
import { get } from '../api.js';
import { el, errorBox, replace, table, time } from '../dom.js';
import { hhmm, lineChart } from '../chart.js';

const SERIES = [
  { key: 'success', label: 'Succeeded', className: 'series-success' },
  { key: 'failed', label: 'Failed', className: 'series-failed' },
];
/** The chart's counts are live; the backlog is recounted by Herald at most every herald.metrics.pending-interval. */
const REFRESH_MS = 5000;
/** Herald counts the backlog in the background on the first ask: the number follows shortly. */
const COUNTING_MS = 1000;

export async function overviewPage(ctx) {
  const body = el('div', { 'aria-busy': 'true' }, el('p', {}, 'Loading statistics…'));
  replace(ctx.main, el('h1', {}, 'Overview'), body);
  let view = null;
  let timer = null;
  let inFlight = false;

  const stop = () => {
    clearTimeout(timer);
    timer = null;
  };
  const schedule = (ms) => {
    stop();
    if (ctx.current() && !document.hidden) timer = setTimeout(load, ms);
  };
  const onVisibility = () => (document.hidden ? stop() : load());
  document.addEventListener('visibilitychange', onVisibility);
  ctx.onLeave(() => {
    document.removeEventListener('visibilitychange', onVisibility);
    stop();
  });

  async function load() {
    stop();
    if (inFlight || !ctx.current()) return;
    inFlight = true;
    let stats;
    try {
      stats = await get('/stats/deliveries?minutes=60');
    } catch (e) {
      if (!ctx.current()) return;
      if (view) {
        // Keep the last numbers, say they are not fresh, and try again later.
        replace(view.updated, errorBox('Not refreshed: ' + e.message));
        schedule(REFRESH_MS);
        return;
      }
      body.removeAttribute('aria-busy');
      if (e.status === 404) {
        replace(body, el('div', { class: 'notice', role: 'status' }, el('p', {}, el('strong', {}, 'Statistics unavailable.')),
          el('p', {}, 'This Herald does not offer delivery statistics (GET /v1/stats/deliveries answered 404). The webhooks and their deliveries are on the Webhooks page.')));
        return;
      }
      replace(body, errorBox('Statistics unavailable: ' + e.message));
      schedule(REFRESH_MS);
      return;
    } finally {
      inFlight = false;
    }
    if (!ctx.current()) return;
    if (!view) {
      view = skeleton();
      body.removeAttribute('aria-busy');
      replace(body, view.node);
    }
    show(view, stats);
    schedule(stats.pending === null || stats.pending === undefined ? COUNTING_MS : REFRESH_MS);
  }

  await load();
}

/** The page's parts, made once: refreshes change their contents (an opened table stays open). */
function skeleton() {
  const parts = {
    backlog: el('div', { id: 'backlog' }),
    summary: el('p', { id: 'chart-summary' }),
    chart: el('div', { class: 'chart-box' }),
    rows: el('div', {}),
    updated: el('p', { class: 'muted', id: 'updated' }),
  };
  parts.node = el('div', {},
    el('section', { 'aria-labelledby': 'backlog-h' }, el('h2', { id: 'backlog-h' }, 'Pending backlog'), parts.backlog),
    el('section', { 'aria-labelledby': 'chart-h' },
      el('h2', { id: 'chart-h' }, 'Deliveries per minute, last hour'),
      parts.summary,
      el('ul', { class: 'legend' }, SERIES.map((s) => el('li', {}, el('span', { class: 'swatch ' + s.className, 'aria-hidden': 'true' }), s.label))),
      parts.chart,
      el('details', {}, el('summary', {}, 'The numbers as a table'), parts.rows)),
    parts.updated);
  return parts;
}

function show(view, stats) {
  const minutes = Array.isArray(stats.minutes) ? stats.minutes : [];
  const total = (key) => minutes.reduce((sum, m) => sum + (Number(m[key]) || 0), 0);
  const busiest = minutes.reduce((best, m) => (m.success + m.failed > (best ? best.success + best.failed : -1) ? m : best), null);
  const summary = `Last ${minutes.length} minutes: ${total('success')} deliveries succeeded and ${total('failed')} failed`
    + (busiest && busiest.success + busiest.failed > 0 ? `; busiest minute ${hhmm(busiest.start)} with ${busiest.success + busiest.failed}.` : '.');
  const counted = stats.pending !== null && stats.pending !== undefined;
  view.backlog.setAttribute('aria-busy', String(!counted));
  replace(view.backlog, counted
    ? [el('p', { class: 'big-number' }, String(stats.pending), ' ', el('span', { class: 'muted' }, 'deliveries waiting')),
      el('p', { class: 'muted' }, 'Measured ', stats.pending_measured_at ? time(stats.pending_measured_at) : '—', '.')]
    : [el('p', { class: 'big-number counting' }, 'Counting…'),
      el('p', { class: 'muted' }, 'Herald is counting the pending deliveries; the number shows here when it is done.')]);
  replace(view.summary, summary);
  replace(view.chart, lineChart(minutes, SERIES, 'Deliveries per minute, last hour', summary));
  replace(view.rows, table('Deliveries per minute', ['Minute', 'Succeeded', 'Failed'], minutes.map((m) => el('tr', {},
    el('th', { scope: 'row' }, time(m.start)), el('td', {}, String(m.success)), el('td', {}, String(m.failed))))));
  replace(view.updated, 'Updated ', time(new Date().toISOString()), '; refreshed every ', String(REFRESH_MS / 1000),
    ' seconds while this page is shown.');
}
