// #/deliveries/<id>: the delivery, every attempt (request and response, headers and bodies,
// error, duration) and the Retry button.
import { get, post, seg } from '../api.js';
import { mode } from '../mode.js';
import { announce, bodyBlock, details, el, errorBox, headerTable, link, replace, statusBadge, time } from '../dom.js';

const REFRESH_MS = 1500;

export async function deliveryPage(ctx, id) {
  const path = '/deliveries/' + seg(id);
  const heading = el('h1', { class: 'wrap' }, 'Delivery ', id);
  const out = el('div', { class: 'messages' });
  const summary = el('div', {});
  const attempts = el('div', {});
  const retry = el('button', { type: 'button' }, 'Retry');
  const crumbs = el('p', { class: 'crumbs' }, el('a', { href: '#/webhooks' }, 'Webhooks'));
  // Until the delivery is known, only the heading: no Retry button and no empty sections.
  replace(ctx.main, crumbs, heading, el('p', { 'aria-busy': 'true' }, 'Loading…'));

  let timer = null;
  let lastStatus = null;
  let shown = false;
  let attemptsShown = 0;
  // After a retry: the attempt count it asked to grow, and until when to look (a fast attempt can end
  // before the first read, which then sees the old status and would stop the refresh).
  let retried = null;
  async function load() {
    let d;
    try {
      d = await get(path);
    } catch (e) {
      if (!ctx.current()) return;
      if (shown) replace(summary, errorBox('Cannot show the delivery: ' + e.message));
      else if (e.status === 404) replace(ctx.main, crumbs, el('h1', { class: 'wrap' }, 'Delivery not found'),
        el('p', { class: 'notice', role: 'status' }, 'There is no delivery ', el('code', {}, id),
          ' (a mistyped link, or removed by the retention of old deliveries).'));
      else replace(ctx.main, crumbs, heading, errorBox('Cannot show the delivery: ' + e.message));
      return;
    }
    if (!ctx.current()) return;
    if (!shown) {
      shown = true;
      replace(ctx.main, crumbs, heading, mode.readOnly ? null : el('div', { class: 'page-actions' }, retry), out,
        el('section', { 'aria-labelledby': 'summary-h' }, el('h2', { id: 'summary-h' }, 'Summary'), summary),
        el('section', { 'aria-labelledby': 'attempts-h' }, el('h2', { id: 'attempts-h' }, 'Attempts'), attempts));
    }
    if (retried && (d.attempts.length > retried.attempts || Date.now() > retried.until)) retried = null;
    if (!retried) {
      if (lastStatus === 'pending' && d.status !== 'pending') announce('Delivery ' + d.status + '.');
      lastStatus = d.status;
    }
    replace(crumbs, el('a', { href: '#/webhooks' }, 'Webhooks'), ' › ', link('Webhook ' + d.webhook_id, 'webhooks', d.webhook_id));
    retry.disabled = d.status === 'pending' || Boolean(retried);
    replace(summary, details([
      ['Status', statusBadge(d.status)],
      ['HTTP status', d.status_code],
      ['Webhook', link(d.webhook_id, 'webhooks', d.webhook_id)],
      ['Event', el('code', {}, d.event_id)],
      ['Created', time(d.created_at)],
      ['Delivered', time(d.delivered_at)],
      ['Next attempt', time(d.next_attempt_at)],
      ['Error', d.error],
    ]));
    replace(attempts, d.attempts.length === 0 ? el('p', {}, 'No attempt yet.')
      : d.attempts.slice().reverse().map(attemptSection));
    attemptsShown = d.attempts.length;
    clearTimeout(timer);
    if (d.status === 'pending' || retried) timer = setTimeout(() => { if (ctx.current()) load(); }, REFRESH_MS);
  }

  retry.addEventListener('click', async () => {
    retry.disabled = true;
    replace(out);
    try {
      await post(path + '/retry');
      announce('Retry requested: a new attempt is on its way.');
      lastStatus = 'pending';
      retried = { attempts: attemptsShown, until: Date.now() + 30000 };
      await load();
    } catch (e) {
      replace(out, errorBox('Not retried: ' + e.message));
      retry.disabled = false;
    }
  });

  await load();
}

/** One attempt, newest first on the page. */
function attemptSection(a) {
  const outcome = a.response ? 'HTTP ' + a.response.status_code : 'no response';
  const id = 'attempt-' + a.attempt;
  return el('section', { class: 'attempt', 'aria-labelledby': id, 'data-attempt': String(a.attempt) },
    el('h3', { id }, 'Attempt ' + a.attempt + ': ' + outcome + ' in ' + a.duration_ms + ' ms'),
    details([
      ['Started', time(a.started_at)],
      ['Trigger', a.trigger],
      ['URL', el('span', { class: 'wrap' }, a.url)],
      ['Duration', a.duration_ms + ' ms'],
      ['Error', a.error],
    ]),
    el('div', { class: 'exchange' },
      el('div', { class: 'request' },
        el('h4', {}, 'Request'),
        el('h5', {}, 'Headers'), headerTable('Request headers of attempt ' + a.attempt, a.request.headers),
        el('h5', {}, 'Body'), el('div', { class: 'request-body' }, bodyBlock('Request body of attempt ' + a.attempt, a.request.body))),
      el('div', { class: 'response' },
        el('h4', {}, 'Response: ' + outcome),
        a.response ? [
          el('h5', {}, 'Headers'), headerTable('Response headers of attempt ' + a.attempt, a.response.headers),
          el('h5', {}, 'Body'), el('div', { class: 'response-body' }, bodyBlock('Response body of attempt ' + a.attempt, a.response.body)),
        ] : el('p', {}, a.error || 'No response arrived.'))));
}
