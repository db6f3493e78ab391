// The customer portal (/ui/portal#token=…): one application's own webhooks and deliveries, from a
// link its vendor made (POST /v1/applications/{app}/portal). The token comes in the URL fragment,
// which browsers send to no server, is kept in this tab's sessionStorage only and taken out of the
// address bar at once; every call carries it as the Bearer key, which the API scopes to the application.
import { get, keepKeyAs, session, whenUnauthorized } from './api.js';
import { mode } from './mode.js';
import { announce, clearOldStatus, el, errorBox, replace, time } from './dom.js';
import { webhooksPage } from './pages/webhooks.js';
import { webhookPage } from './pages/webhook.js';
import { deliveryPage } from './pages/delivery.js';
import { notFoundPage } from './pages/notfound.js';

keepKeyAs('herald.portalToken');
mode.portal = true;

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const closeButton = document.getElementById('sign-out');
const appName = document.getElementById('portal-app');
const access = document.getElementById('portal-access');

const fromLink = location.hash.match(/^#token=([^&]+)$/);
if (fromLink) {
  try {
    session.signIn(decodeURIComponent(fromLink[1]));
  } catch {
    session.signOut();
  }
  // Out of the address bar (and so out of history, bookmarks and screen shares).
  history.replaceState(null, '', location.pathname + '#/webhooks');
}

let generation = 0;
let leaving = [];
let started = false;

function route() {
  if (!started) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const mine = ++generation;
  for (const undo of leaving.splice(0)) undo();
  const ctx = { main, current: () => mine === generation, rerender: route, onLeave: (undo) => leaving.push(undo) };
  main.replaceChildren();
  if (parts[0] === '' || parts[0] === 'webhooks' && parts.length === 1) return show('Webhooks', () => webhooksPage(ctx));
  if (parts[0] === 'webhooks' && parts.length === 2) return show('Webhook', () => webhookPage(ctx, parts[1]));
  if (parts[0] === 'deliveries' && parts.length === 2) return show('Delivery', () => deliveryPage(ctx, parts[1]));
  return show('Not found', () => notFoundPage(ctx));
}

function show(title, render) {
  document.title = title + ' · ' + appName.textContent;
  main.focus({ preventScroll: true });
  Promise.resolve().then(render).catch((e) => replace(main, errorBox('The page failed: ' + e.message)));
}

/** The page for a link that no longer works, or no link at all: says so and offers nothing else. */
function ended(heading, text) {
  started = false;
  // The page that was shown stops: its late answers and refresh timers see it is no longer current.
  generation++;
  for (const undo of leaving.splice(0)) undo();
  session.signOut();
  nav.hidden = true;
  closeButton.hidden = true;
  access.hidden = true;
  document.title = heading;
  replace(main, el('h1', {}, heading), el('p', { class: 'notice', role: 'status', 'data-portal': 'ended' }, text));
}

const EXPIRED = 'This portal link has expired or was revoked';
const ASK = 'Ask for a new link to see and manage your webhooks again.';

whenUnauthorized(() => ended(EXPIRED, 'The link stopped working. ' + ASK));

closeButton.addEventListener('click', () => {
  ended('You left the portal', 'The link is no longer kept in this tab. Open the link you were given to come back.');
  announce('Left the portal.');
});

window.addEventListener('hashchange', () => {
  clearOldStatus();
  route();
});

async function start() {
  if (!session.key()) {
    ended('No portal link', 'Open the portal with the whole link you were given (it ends in #token=…). ' + ASK);
    return;
  }
  let me;
  try {
    me = await get('/session');
  } catch (e) {
    if (e.status === 401) ended(EXPIRED, ASK);
    else replace(main, errorBox('The portal cannot start: ' + e.message));
    return;
  }
  if (me.scope !== 'application' || !me.application) {
    ended('Not a portal link', 'This key is not one application\'s portal link. ' + ASK);
    return;
  }
  mode.readOnly = Boolean(me.read_only);
  replace(appName, me.application.name);
  replace(access, mode.readOnly ? 'Read-only' : null, mode.readOnly && me.expires_at ? ' · ' : null,
    me.expires_at ? ['link works until ', time(me.expires_at)] : null);
  access.hidden = !mode.readOnly && !me.expires_at;
  nav.hidden = false;
  closeButton.hidden = false;
  started = true;
  route();
}

start();
