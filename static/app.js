// app.js — the shell: header (navigation, search, as-of time, editor
// token, language), the as-of banner, the view area, and the router that
// picks a view module per address.
//
// A view module exports render(root, params, ctx) → Promise, and may export
// update(params, ctx) → boolean to take a change of parameters without
// rebuilding (the panorama selecting another node). When a view has
// rendered, <body> gets data-ready="<view>" with the time since
// navigation start in data-ready-ms, and data-painted-ms once the first
// frame after it is painted: the browser tests wait for them.
//
// ?as_of= in the address (SPEC §8) makes every read of every view answer
// as right after that revision: route() hands it to api.js before the
// view renders, and a change of it always rebuilds the view.

import {h, replace, setText} from './dom.js';
import {t, lang, setLang, onLangChange} from './i18n.js';
import * as api from './api.js';
import * as router from './router.js';
import {searchBox} from './views/search.js';
import {asOfChrome} from './views/asof.js';
import * as dashboard from './views/dashboard.js';
import * as panorama from './views/panorama.js';
import * as cluster from './views/cluster.js';
import * as gaps from './views/gaps.js';
import * as projects from './views/projects.js';
import * as enterprises from './views/enterprises.js';
import * as audit from './views/audit.js';
import * as leads from './views/leads.js';
import * as funnel from './views/funnel.js';
import * as changes from './views/changes.js';

const views = {dashboard, panorama, cluster, gaps, projects, enterprises, leads, funnel, changes, audit};
const navOrder = ['dashboard', 'panorama', 'cluster', 'gaps', 'projects', 'enterprises', 'leads', 'audit'];
// navOf is the navigation entry a view lies under: the funnel under the
// leads, what changed under the audit log (the header has room for no more).
const navOf = {funnel: 'leads', changes: 'audit'};

const state = {
  view: null,        // name of the view on screen
  module: null,      // its module
  controller: null,  // aborts the fetches of the view on screen
  seq: 0,            // navigation counter: a render that lost the race stops
};

const root = document.getElementById('app');
const asOfBar = asOfChrome();
const main = h('main', {id: 'view', class: 'view', tabindex: '-1'});
const navLinks = {};
const regionName = h('span', {class: 'brand-region'});
const footerText = h('span');
const toastBox = h('div', {class: 'toast', id: 'toast', role: 'status', 'aria-live': 'polite', hidden: true});
let toastTimer = 0;

// toast shows a short confirmation (a save, a deletion) for a few
// seconds; a warning (warn) stays longer and looks it.
function toast(message, warn) {
  setText(toastBox, message);
  toastBox.classList.toggle('is-warn', Boolean(warn));
  toastBox.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toastBox.hidden = true;
  }, warn ? 12000 : 4000);
}

function header() {
  const nav = h('nav', {class: 'nav', 'aria-label': 'views'});
  for (const name of navOrder) {
    navLinks[name] = h('a', {href: '/' + name, class: 'nav-link', dataset: {view: name}});
    nav.appendChild(navLinks[name]);
  }
  return h('header', {class: 'topbar'},
    h('div', {class: 'topbar-inner'},
      h('a', {href: '/dashboard', class: 'brand', id: 'brand'},
        h('span', {class: 'brand-mark', 'aria-hidden': 'true'}),
        h('span', {class: 'brand-name', dataset: {i18n: 'app.name'}}),
        regionName),
      nav,
      h('div', {class: 'tools'}, searchBox(), asOfBar.control, tokenControl(), langButton())));
}

// langButton switches 中文 ⇄ English; the choice is kept in localStorage.
function langButton() {
  const b = h('button', {type: 'button', class: 'btn btn-ghost lang-switch', id: 'lang-switch'});
  b.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
  return b;
}

// tokenControl lets an editor enter the token. The token is checked with
// the server (GET /api/v1/editor) before edit mode is on: a wrong one is
// refused here, not at the first save. An accepted token is kept in
// sessionStorage with the editor's name the server gave it, shown in the
// header ("编辑中 · 张三"). Only the shared token (named "editor") asks for
// the editor's own name, sent with each write as X-Editor-Name.
function tokenControl() {
  const wrap = h('div', {class: 'token'});
  const btn = h('button', {type: 'button', class: 'btn btn-ghost', id: 'token-button', 'aria-expanded': 'false'});
  const input = h('input', {type: 'password', id: 'token-input', autocomplete: 'off', class: 'input'});
  const nameInput = h('input', {type: 'text', id: 'editor-name', autocomplete: 'name', class: 'input', maxlength: '40'});
  const nameLabel = h('label', {for: 'editor-name'});
  const nameRow = h('div', {class: 'token-name', id: 'editor-name-row', hidden: true}, nameLabel, nameInput);
  const save = h('button', {type: 'submit', class: 'btn btn-primary', id: 'token-save'});
  const clearBtn = h('button', {type: 'button', class: 'btn', id: 'token-clear'});
  const error = h('p', {class: 'token-error', id: 'token-error', role: 'alert', hidden: true});
  const hint = h('p', {class: 'hint'});
  const tokenLabel = h('label', {for: 'token-input'});
  const form = h('form', {class: 'token-pop', id: 'token-form', hidden: true}, tokenLabel, input,
    nameRow, h('div', {class: 'row'}, save, clearBtn), error, hint);
  nameInput.value = api.editorName();
  let failure = null; // the last refusal, repainted in the other language

  const close = () => {
    form.hidden = true;
    btn.setAttribute('aria-expanded', 'false');
  };
  const refusal = (err) => {
    if (err.status === 401 || err.code === 'unauthorized') {
      return t('token.wrong');
    }
    if (err.status === 403 || err.code === 'read_only') {
      return t('token.readOnly');
    }
    return err.status === 0 ? t('error.network') : err.message || t('error.unknown');
  };
  const showFailure = () => {
    error.hidden = !failure;
    setText(error, failure ? refusal(failure) : '');
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const typed = input.value.trim();
    if (!typed && api.who() === api.LEGACY_EDITOR) {
      // The shared token is on: this only sets the editor's name.
      api.setEditorName(nameInput.value);
      paint();
      close();
      return;
    }
    if (!typed) {
      input.focus();
      return;
    }
    save.disabled = true;
    failure = null;
    showFailure();
    try {
      const name = await api.checkToken(typed);
      input.value = '';
      api.setEditorName(nameInput.value);
      api.setToken(typed, name);
      if (name === api.LEGACY_EDITOR) {
        // Edit mode is on; the form stays open for the editor's name.
        nameInput.focus();
      } else {
        close();
      }
    } catch (err) {
      // Refused: edit mode stays off (or as it was).
      failure = err;
      showFailure();
      input.select();
    } finally {
      save.disabled = false;
    }
  });
  clearBtn.addEventListener('click', () => {
    api.setToken('');
    failure = null;
    showFailure();
    close();
  });
  btn.addEventListener('click', () => {
    form.hidden = !form.hidden;
    btn.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) {
      input.focus();
    }
  });
  const paint = () => {
    const on = Boolean(api.token());
    const who = api.who();
    const shown = who === api.LEGACY_EDITOR ? api.editorName() : who;
    setText(btn, !on ? t('token.off') : shown ? t('token.onAs', shown) : t('token.on'));
    btn.classList.toggle('is-on', on);
    btn.dataset.editor = on ? who : '';
    setText(tokenLabel, t('token.label'));
    input.placeholder = on ? t('token.placeholderOther') : t('token.placeholder');
    nameRow.hidden = !(on && who === api.LEGACY_EDITOR);
    setText(nameLabel, t('token.name'));
    nameInput.placeholder = t('token.namePlaceholder');
    setText(save, t('token.save'));
    setText(clearBtn, t('token.clear'));
    setText(hint, on && who === api.LEGACY_EDITOR ? t('token.sharedHint') : t('token.hint'));
    showFailure();
  };
  document.addEventListener('tokenchange', paint);
  onLangChange(paint);
  paint();
  // A token kept from before a reload is asked about again: one revoked
  // since ends edit mode; the editor's name is filled in when unknown.
  const kept = api.token();
  if (kept) {
    api.checkToken(kept).then((name) => {
      if (api.token() === kept && api.who() !== name) {
        api.rememberWho(name);
        paint();
      }
    }, (err) => {
      if (api.token() === kept && (err.status === 401 || err.status === 403)) {
        api.setToken('');
      }
    });
  }
  wrap.append(btn, form);
  return wrap;
}

// paintChrome writes the texts of the shell in the current language.
function paintChrome() {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) {
    setText(el, t(el.dataset.i18n));
  }
  for (const name of navOrder) {
    setText(navLinks[name], t('nav.' + name));
  }
  // The switch names the other language in that language (and says so).
  setText(document.getElementById('lang-switch'), lang() === 'zh' ? 'English' : '中文');
  document.getElementById('lang-switch').setAttribute('lang', lang() === 'zh' ? 'en' : 'zh-CN');
  document.getElementById('lang-switch').setAttribute('aria-label', t('lang.switch'));
  setText(footerText, t('footer.note'));
  api.cached('/region').then((r) => setText(regionName, r.name)).catch(() => {});
}

// markNav marks the view on screen and points the navigation at the
// as-of time on screen.
function markNav(shown) {
  const view = navOf[shown] || shown;
  document.getElementById('brand').setAttribute('href', router.href('dashboard'));
  for (const [name, a] of Object.entries(navLinks)) {
    a.setAttribute('href', router.href(name));
    a.classList.toggle('is-active', name === view);
    if (name === view) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
}

// ready marks the view as rendered for people (title) and tests (body
// attributes).
function ready(view, failed) {
  document.title = t('nav.' + view) + ' · ' + t('app.name');
  document.body.dataset.readyMs = performance.now().toFixed(1);
  delete document.body.dataset.paintedMs;
  document.body.dataset.ready = view;
  if (failed) {
    document.body.dataset.error = 'true';
  }
  // The first frame after the render: a task queued from the animation
  // frame runs once that frame's style, layout and paint are done.
  const seq = state.seq;
  requestAnimationFrame(() => setTimeout(() => {
    if (seq === state.seq) {
      document.body.dataset.paintedMs = performance.now().toFixed(1);
    }
  }));
}

// errorBox is an error message to show where the view would be.
function errorBox(err) {
  const msg = err && err.status === 0 ? t('error.network') : (err && err.message) || t('error.unknown');
  return h('div', {class: 'alert alert-error', role: 'alert'}, h('strong', null, t('error.title')), ' ', msg);
}

async function route({view, params}) {
  if (!views[view]) {
    router.navigate(router.href('dashboard'), {replace: true});
    return;
  }
  const asOf = params.get('as_of') || '';
  const sameTime = asOf === api.asOf();
  if (!sameTime) {
    api.setAsOf(asOf);
    api.cached('/region').then((r) => setText(regionName, r.name)).catch(() => {});
  }
  if (!sameTime || !state.view) {
    asOfBar.paint();
  }
  if (sameTime && state.view === view && state.module.update && state.module.update(params, state.ctx)) {
    return;
  }
  const seq = ++state.seq;
  if (state.controller) {
    state.controller.abort();
  }
  delete document.body.dataset.ready;
  delete document.body.dataset.paintedMs;
  delete document.body.dataset.error;
  const controller = new AbortController();
  const ctx = {
    signal: controller.signal,
    stale: () => seq !== state.seq,
    rerender: () => route(router.current()),
    error: errorBox,
    toast,
  };
  Object.assign(state, {view, module: views[view], controller, ctx});
  markNav(view);
  const section = h('div', {class: 'view-body'});
  replace(main, section);
  try {
    await views[view].render(section, params, ctx);
    if (!ctx.stale()) {
      ready(view, false);
    }
  } catch (err) {
    if (err.name === 'AbortError' || ctx.stale()) {
      return;
    }
    replace(section, errorBox(err));
    ready(view, true);
  }
}

function boot() {
  replace(root,
    header(),
    asOfBar.banner,
    main,
    h('footer', {class: 'footer'}, footerText),
    toastBox);
  paintChrome();
  onLangChange(() => {
    paintChrome();
    state.view = null; // rebuild the view in the new language
    route(router.current());
  });
  router.start(route);
}

boot();
