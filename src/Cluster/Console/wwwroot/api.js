// The admin API as the console uses it: the key lives in sessionStorage (this tab only, gone when it closes),
// never in a cookie, and rides on every call in X-API-Key. Errors carry the API's own message and status.

const KEY = 'akkadns.apiKey';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY); },
};

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** Calls an admin route; `key` overrides the session's key (the second key of the two-person rule). */
export async function api(method, path, body, key) {
  const headers = { 'X-API-Key': key ?? session.key ?? '', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, `the node did not answer (${e.message})`);
  }
  const text = await response.text();
  let json = null;
  if (text && (response.headers.get('Content-Type') ?? '').includes('json')) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!response.ok) throw new ApiError(response.status, json?.error ?? `${response.status} ${response.statusText}`);
  return json ?? text;
}

export const get = (path) => api('GET', path);
export const post = (path, body, key) => api('POST', path, body ?? {}, key);
export const zonePath = (zone) => `/api/v1/servers/localhost/zones/${encodeURIComponent(zone)}`;
