// The dashboard's entry: hash routing (#/webhooks, #/webhooks/<id>, #/deliveries/<id>,
// #/overview, #/applications, #/applications/<id>), the sign-in gate and the Sign out button.
import { session, whenUnauthorized } from './api.js';
import { announce, clearOldStatus, errorBox, replace } from './dom.js';
import { signInPage } from './pages/signin.js';
import { webhooksPage } from './pages/webhooks.js';
import { webhookPage } from './pages/webhook.js';
import { deliveryPage } from './pages/delivery.js';
import { overviewPage } from './pages/overview.js';
import { notFoundPage } from './pages/notfound.js';
import { applicationsPage } from './pages/applications.js';
import { applicationPage } from './pages/application.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signOutButton = document.getElementById('sign-out');

/**
 * Each render gets a fresh page context; a page's timers and late answers check
 * ctx.current() so that nothing from a page left behind lands on the next one, and what a page
 * registered with ctx.onLeave (listeners, timers) is undone when the next page starts.
 */
let generation = 0;
let leaving = [];

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const parts = hash.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const signedIn = Boolean(session.key());
  nav.hidden = !signedIn;
  signOutButton.hidden = !signedIn;
  const mine = ++generation;
  for (const undo of leaving.splice(0)) undo();
  const ctx = { main, current: () => mine === generation, rerender: route, onLeave: (undo) => leaving.push(undo) };
  main.replaceChildren();
  // After signing in, the page that was asked for (a link to a delivery), else the webhooks.
  if (!signedIn) return show('Sign in', () => signInPage(ctx, () => (parts[0] ? route() : go('#/webhooks'))));
  markCurrent(parts[0]);
  if (parts[0] === '' || parts[0] === 'webhooks' && parts.length === 1) return show('Webhooks', () => webhooksPage(ctx));
  if (parts[0] === 'webhooks' && parts.length === 2) return show('Webhook', () => webhookPage(ctx, parts[1]));
  if (parts[0] === 'deliveries' && parts.length === 2) return show('Delivery', () => deliveryPage(ctx, parts[1]));
  if (parts[0] === 'applications' && parts.length === 1) return show('Applications', () => applicationsPage(ctx));
  if (parts[0] === 'applications' && parts.length === 2) return show('Application', () => applicationPage(ctx, parts[1]));
  if (parts[0] === 'overview' && parts.length === 1) return show('Overview', () => overviewPage(ctx));
  return show('Not found', () => notFoundPage(ctx));
}

function show(title, render) {
  document.title = title + ' · Herald';
  // Focus moves to the new page as on a real page load (a page may then focus its first field).
  main.focus({ preventScroll: true });
  // A page renders at once and fills in as its data arrives; it shows its own API errors.
  Promise.resolve().then(render).catch((e) => replace(main, errorBox('The page failed: ' + e.message)));
}

function markCurrent(section) {
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === '#/' + (section || 'webhooks')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

signOutButton.addEventListener('click', () => {
  session.signOut();
  announce('Signed out.');
  go('#/');
});

whenUnauthorized((error) => {
  // A key that stopped working: back to the form, saying why.
  session.signOut();
  announce('Signed out: ' + error.message);
  route();
});

window.addEventListener('hashchange', () => {
  clearOldStatus();
  route();
});
route();
