// Calls to Herald's API (/v1, same origin). The key lives in sessionStorage only (gone when
// the tab closes) and travels in the Authorization header, never in a URL.

let KEY = 'herald.apiKey';

/** The customer portal keeps its link's token under its own name, so it never replaces an operator's key. */
export function keepKeyAs(name) {
  KEY = name;
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: (key) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

/** Called on a 401 with a stored key (revoked, or Herald restarted with other keys). */
let onUnauthorized = () => {};
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** One path segment from a hostile value (an id from the URL or from data). */
export const seg = (value) => encodeURIComponent(String(value));

/** A query string from an object; empty values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * A JSON call; resolves to the parsed body (null for 204), rejects with ApiError carrying the
 * API's own error message. keyOverride checks a key before it is kept (sign-in).
 */
export async function call(method, path, body, keyOverride) {
  const key = keyOverride ?? session.key();
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = 'Bearer ' + key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch('/v1' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'Herald did not answer (' + e.message + '). Is it running?', null);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const err = json && json.error ? json.error : {};
    const message = err.message || 'Herald answered HTTP ' + response.status;
    const error = new ApiError(response.status, err.code || 'http_' + response.status, message, err.field || null);
    if (response.status === 401 && keyOverride === undefined) onUnauthorized(error);
    throw error;
  }
  return json;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const patch = (path, body) => call('PATCH', path, body);
export const del = (path) => call('DELETE', path);
