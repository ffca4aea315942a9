// router.js — the URL names the view and its parameters.
//
// Addresses are plain paths: /panorama?area=140827&chain=battery, with
// &as_of=REV|YYYY-MM-DD when the data is read as of a past revision. The
// server answers every non-API path with index.html, so a deep link loads
// the app, which reads location here. An old-style hash link
// (/#/panorama?area=…) is rewritten to its path form. Back and forward
// re-render through popstate.

let handler = () => {};

// Route is where the app is: the view name and its query parameters.
export function current() {
  const name = location.pathname.replace(/^\/+|\/+$/g, '') || 'dashboard';
  return {view: name, params: new URLSearchParams(location.search)};
}

// STICKY are the parameters that follow the reader from view to view:
// the as-of time (SPEC §8), so every link of a past view stays in the past.
const STICKY = ['as_of'];

// href is the address of a view with parameters; empty ones are left out.
// A sticky parameter of the current address is kept unless params names
// it ('' drops it).
export function href(view, params) {
  const q = new URLSearchParams();
  const all = {...params};
  const here = new URLSearchParams(location.search);
  for (const k of STICKY) {
    if (!(k in all) && here.get(k)) {
      all[k] = here.get(k);
    }
  }
  for (const [k, v] of Object.entries(all)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, String(v));
    }
  }
  const qs = q.toString();
  return '/' + view + (qs ? '?' + qs : '');
}

// navigate goes to an address: a new history entry, or with replace the
// current one rewritten (for state that should not pile up in history).
export function navigate(to, {replace = false, silent = false} = {}) {
  if (to === location.pathname + location.search) {
    if (!silent) {
      handler(current());
    }
    return;
  }
  if (replace) {
    history.replaceState(null, '', to);
  } else {
    history.pushState(null, '', to);
  }
  if (!silent) {
    handler(current());
  }
}

// setParams rewrites parameters of the current address without a new
// history entry and without re-rendering (a selection inside a view).
export function setParams(changes) {
  const {view, params} = current();
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === '') {
      params.delete(k);
    } else {
      params.set(k, String(v));
    }
  }
  navigate(href(view, Object.fromEntries(params)), {replace: true, silent: true});
}

// start installs the router: onRoute(route) runs now and on every
// navigation. Clicks on same-origin links are handled in the page.
export function start(onRoute) {
  handler = onRoute;
  if (location.hash.startsWith('#/')) {
    history.replaceState(null, '', location.hash.slice(1));
  }
  window.addEventListener('popstate', () => handler(current()));
  document.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) {
      return;
    }
    const a = ev.target.closest('a[href]');
    if (!a || a.hasAttribute('download') || a.getAttribute('target') === '_blank') {
      return;
    }
    // getAttribute, not a.href: an SVG <a> has no string href property.
    const u = new URL(a.getAttribute('href'), location.href);
    if (u.origin !== location.origin || u.pathname.startsWith('/api/')) {
      return;
    }
    ev.preventDefault();
    navigate(u.pathname + u.search);
  });
  handler(current());
}
