// DOM helpers. Everything shown comes from hostile sources (event data, receiver answers,
// webhook URLs and names): text goes in with textContent only, never as markup.

/**
 * el('p', {class: 'x', onclick: fn}, 'text', child...) builds an element. Attributes are set
 * with setAttribute (on* keys become listeners); children are nodes or strings (text nodes).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

/** Appends nodes and strings (as text); null, undefined and false are skipped, arrays flattened. */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces every child of node. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** Says a status change in the live region (visible too); the same text twice is said again. */
export function announce(message) {
  const region = document.getElementById('status');
  region.textContent = '';
  region.dataset.at = String(Date.now());
  // A new text node in a later task, so screen readers notice a repeated message.
  setTimeout(() => { region.textContent = message; }, 30);
}

/** Clears the status line on a page change, unless it was just said (e.g. "Signed out." before the move). */
export function clearOldStatus() {
  const region = document.getElementById('status');
  if (Date.now() - Number(region.dataset.at || 0) > 1000) region.textContent = '';
}

/** A table in a horizontally scrolling wrapper: headers [{label}], rows of cells (nodes or text). */
export function table(caption, headers, rows, attrs = {}) {
  const head = el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)));
  const body = el('tbody', {}, rows);
  return el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    el('table', attrs, el('caption', { class: 'visually-hidden' }, caption), el('thead', {}, head), body));
}

/** A two-column table of name/value pairs (headers of a request or response). */
export function headerTable(caption, headers) {
  const names = Object.keys(headers || {});
  if (names.length === 0) return el('p', { class: 'muted' }, 'No headers.');
  return table(caption, ['Name', 'Value'], names.map((name) =>
    el('tr', {}, el('th', { scope: 'row' }, name), el('td', { class: 'wrap' }, String(headers[name])))));
}

/** A definition list from [term, value] pairs; values are nodes or text, empty ones show "—". */
export function details(pairs) {
  return el('dl', { class: 'facts' }, pairs.map(([term, value]) => [
    el('dt', {}, term),
    el('dd', {}, value === null || value === undefined || value === '' ? '—' : value),
  ]));
}

/**
 * A body exactly as logged (the bytes that were signed), in a scrolling block; JSON gets a
 * button that shows it indented and back. null shows "(no body)".
 */
export function bodyBlock(label, text) {
  if (text === null || text === undefined || text === '') return el('p', { class: 'muted' }, '(no body)');
  const raw = String(text);
  const pre = el('pre', { class: 'body', tabindex: '0', 'aria-label': label }, raw);
  const pretty = prettyJson(raw);
  if (pretty === null) return pre;
  const toggle = el('button', { type: 'button', class: 'secondary small-button', 'aria-pressed': 'false' }, 'Indent JSON');
  toggle.addEventListener('click', () => {
    const on = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', String(on));
    pre.textContent = on ? pretty : raw;
  });
  return el('div', { class: 'body-block' }, toggle, pre);
}

/** JSON indented for reading, or null when the text is not JSON. */
function prettyJson(text) {
  if (!/^\s*[[{]/.test(text)) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/** A time element: local time shown, the ISO value kept for machines and as a tooltip. */
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return el('time', { datetime: iso, title: iso }, d.toLocaleString());
}

/** A delivery status as a badge whose word carries the meaning (colour only helps). */
export function statusBadge(status) {
  return el('span', { class: 'badge badge-' + (['success', 'failed', 'pending'].includes(status) ? status : 'other') }, String(status));
}

/** A link inside the app (hash routing); parts are encoded, so an id cannot change the route. */
export function link(text, ...parts) {
  return el('a', { href: '#/' + parts.map(encodeURIComponent).join('/') }, text);
}

/** A "Load more" button that runs next() once (the next page brings its own button). */
export function moreButton(next) {
  const button = el('button', { type: 'button', class: 'secondary' }, 'Load more');
  button.addEventListener('click', () => {
    button.disabled = true;
    next();
  });
  return el('div', { class: 'actions' }, button);
}

/** An error box with role=alert, or null when there is nothing to say. */
export function errorBox(message) {
  return el('p', { class: 'error', role: 'alert' }, message);
}
