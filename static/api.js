// api.js — a small fetch wrapper for /api/v1.
//
// Every error answer of the server is JSON {"error": "...", "code": "...",
// "problems": [{sheet, row, column, value, message}]}, its message in the
// language the request's Accept-Language asks for (every request sends
// the app's language); request() turns it into an ApiError that views
// show next to the form field or in the page.

import {lang} from './i18n.js';

const BASE = '/api/v1';
const TOKEN_KEY = 'chainscope.editorToken';

// ApiError is a failed request: the HTTP status (0 when the server could
// not be reached), the server's message, its stable code (contract:
// unauthorized, read_only, conflict, …) and its list of problems.
export class ApiError extends Error {
  constructor(status, message, problems, code) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problems = problems || [];
    this.code = code || '';
  }
}

// acceptLanguage is the Accept-Language of every request: the server
// writes its messages in the app's language.
function acceptLanguage() {
  return lang() === 'en' ? 'en' : 'zh-CN';
}

// The as-of time every read carries while the address names one (SPEC §8:
// ?as_of=REV or a date). app.js sets it from the address on each
// navigation; the routes about history itself take none.
let asOfValue = '';
const NO_AS_OF = new Set(['/revisions', '/changes', '/audit', '/history']);

// asOf is the as_of value of the reads ('' for the current data).
export function asOf() {
  return asOfValue;
}

export function setAsOf(value) {
  asOfValue = value || '';
}

// url builds the address of a read (a GET, or a link to download): the
// path, the query parameters (empty ones left out) and the as-of time,
// unless params names its own.
export function url(path, params) {
  if (!asOfValue || NO_AS_OF.has(path) || (params && 'as_of' in params)) {
    return address(path, params);
  }
  return address(path, {...params, as_of: asOfValue});
}

// address builds an API address from a path and query parameters; empty
// parameters are left out.
function address(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') {
      continue;
    }
    for (const item of Array.isArray(v) ? v : [v]) {
      q.append(k, String(item));
    }
  }
  const qs = q.toString();
  return BASE + path + (qs ? '?' + qs : '');
}

// The editor token lives in sessionStorage: it is forgotten when the tab
// closes, and read again at every request, so clearing it takes effect at
// once.
export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

// The editor's name goes with every write (X-Editor-Name, percent-encoded
// since headers carry Latin-1 only) and names the revision in the history;
// it is remembered in localStorage.
const NAME_KEY = 'chainscope.editorName';

export function editorName() {
  try {
    return localStorage.getItem(NAME_KEY) || '';
  } catch {
    return '';
  }
}

export function setEditorName(value) {
  const v = (value || '').trim();
  try {
    if (v) {
      localStorage.setItem(NAME_KEY, v);
    } else {
      localStorage.removeItem(NAME_KEY);
    }
  } catch {
    // storage refused: the name is simply not remembered
  }
}

// LEGACY_EDITOR is the name of the single shared token (--editor-token):
// only with it does the editor type a name of their own (X-Editor-Name).
export const LEGACY_EDITOR = 'editor';
const WHO_KEY = 'chainscope.editorWho';

// who is the name the server gave the token in use ('' without one).
export function who() {
  try {
    return sessionStorage.getItem(WHO_KEY) || '';
  } catch {
    return '';
  }
}

// setToken keeps (or, with '', forgets) a token the server has accepted
// and the name it answered with.
export function setToken(value, name) {
  const v = (value || '').trim();
  if (v) {
    sessionStorage.setItem(TOKEN_KEY, v);
    sessionStorage.setItem(WHO_KEY, name || '');
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(WHO_KEY);
  }
  document.dispatchEvent(new CustomEvent('tokenchange'));
}

// rememberWho records the name the server gives the token in use, without
// telling the views (edit mode itself has not changed).
export function rememberWho(name) {
  try {
    sessionStorage.setItem(WHO_KEY, name || '');
  } catch {
    // storage refused: the header shows no name
  }
}

// checkToken asks the server whose token tok is (GET /api/v1/editor,
// contract item 2): the editor's name, or an ApiError (401 unauthorized:
// a wrong token; 403 read_only: the server takes no edits).
export async function checkToken(tok) {
  let res;
  try {
    res = await fetch(BASE + '/editor', {
      headers: {Accept: 'application/json', 'Accept-Language': acceptLanguage(), Authorization: 'Bearer ' + tok},
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, '', []);
  }
  const j = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new ApiError(res.status, j.error || res.statusText, j.problems, j.code);
  }
  return j.name || '';
}

// request sends one request and returns the response; a non-2xx answer
// becomes an ApiError built from the JSON error body. Reads go to url()
// (with the as-of time), writes to the plain address.
async function request(method, path, {params, body, signal, ifMatch} = {}) {
  const headers = {Accept: 'application/json', 'Accept-Language': acceptLanguage()};
  if (ifMatch) {
    headers['If-Match'] = ifMatch;
  }
  const tok = token();
  if (tok && method !== 'GET') {
    headers.Authorization = 'Bearer ' + tok;
    const name = editorName();
    // The typed name only goes with the shared token (named "editor"):
    // a personal token names its editor itself.
    if (name && who() === LEGACY_EDITOR) {
      headers['X-Editor-Name'] = encodeURIComponent(name);
    }
  }
  const init = {method, headers, signal, credentials: 'same-origin'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(method === 'GET' ? url(path, params) : address(path, params), init);
  } catch (err) {
    if (err.name === 'AbortError') {
      throw err;
    }
    throw new ApiError(0, '', []);
  }
  if (!res.ok) {
    let msg = res.statusText;
    let problems = [];
    let code = '';
    try {
      const j = await res.json();
      msg = j.error || msg;
      problems = j.problems || [];
      code = j.code || '';
    } catch {
      // Not JSON (a proxy's page): keep the status text.
    }
    throw new ApiError(res.status, msg, problems, code);
  }
  return res;
}

// get fetches JSON.
export async function get(path, params, signal) {
  const res = await request('GET', path, {params, signal});
  return res.json();
}

// getText fetches a text body (the SVG) exactly as served.
export async function getText(path, params, signal) {
  const res = await request('GET', path, {params, signal});
  return res.text();
}

// getVersioned fetches one record's JSON with the ETag of the record's
// version (SPEC §8), which an edit sends back as If-Match.
export async function getVersioned(path, signal, params) {
  const res = await request('GET', path, {signal, params});
  return {data: await res.json(), etag: res.headers.get('ETag') || ''};
}

// send writes: POST, PUT or DELETE with a JSON body; null for 204. With
// ifMatch (the ETag the record was read with) the server refuses, 412, a
// record someone else has changed since.
export async function send(method, path, body, params, {ifMatch} = {}) {
  const res = await request(method, path, {body, params, ifMatch});
  invalidate();
  if (res.status === 204) {
    return null;
  }
  return res.json();
}

// memo keeps the answers that rarely change (region, counties, chains)
// for the life of the page, until a write calls invalidate; past data
// is kept apart from today's.
const memo = new Map();

export function cached(path) {
  const key = asOfValue + '\u0000' + path;
  if (!memo.has(key)) {
    const p = get(path).catch((err) => {
      memo.delete(key);
      throw err;
    });
    memo.set(key, p);
  }
  return memo.get(key);
}

export function invalidate() {
  memo.clear();
}
