// search.js — the search box in the header, on every page: counties,
// chains, segments, enterprises (also by USCC) and projects, through
// GET /api/v1/search. Each hit links to where the record is shown.

import {h, replace} from '../dom.js';
import {get} from '../api.js';
import {t, onLangChange, kindLabel} from '../i18n.js';
import {href} from '../router.js';

// hitHref is the address that shows a search hit: records open in the
// panorama of their area and chain with their panel, which the panorama
// resolves from the record itself.
export function hitHref(hit) {
  switch (hit.kind) {
    case 'county':
      return href('panorama', {area: hit.id});
    case 'chain':
      return href('panorama', {area: '*', chain: hit.id});
    case 'segment':
      return href('panorama', {area: '*', chain: hit.chain, seg: hit.id});
    default:
      return href('panorama', {node: hit.id, kind: hit.kind});
  }
}

export function searchBox() {
  const input = h('input', {type: 'search', id: 'search-input', class: 'input search-input', autocomplete: 'off',
    role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'search-results', 'aria-autocomplete': 'list'});
  const list = h('div', {id: 'search-results', class: 'search-results', role: 'listbox', hidden: true});
  const wrap = h('div', {class: 'search'}, input, list);
  let timer = 0;
  let seq = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
  };
  const links = () => [...list.querySelectorAll('a')];

  async function run() {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      close();
      return;
    }
    let res;
    try {
      res = await get('/search', {q, limit: 12});
    } catch (err) {
      if (mine === seq) {
        replace(list, h('div', {class: 'search-empty'}, err.message || t('error.network')));
        list.hidden = false;
      }
      return;
    }
    if (mine !== seq) {
      return;
    }
    if (!res.items.length) {
      replace(list, h('div', {class: 'search-empty'}, t('search.none')));
    } else {
      replace(list, res.items.map((hit) => h('a', {href: hitHref(hit), class: 'search-hit', role: 'option', dataset: {kind: hit.kind, id: hit.id}},
        h('span', {class: ['tag', 'tag-' + hit.kind]}, kindLabel(hit.kind)),
        h('span', {class: 'search-name'}, hit.name),
        h('span', {class: 'search-id'}, hit.id))),
      res.total > res.items.length ? h('div', {class: 'search-more'}, t('search.more', res.total)) : null);
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 180);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      const first = links()[0];
      if (first) {
        first.click();
      }
    } else if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      const first = links()[0];
      if (first) {
        first.focus();
      }
    } else if (ev.key === 'Escape') {
      close();
    }
  });
  list.addEventListener('keydown', (ev) => {
    const all = links();
    const i = all.indexOf(document.activeElement);
    if (ev.key === 'ArrowDown' && i < all.length - 1) {
      ev.preventDefault();
      all[i + 1].focus();
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      (i > 0 ? all[i - 1] : input).focus();
    } else if (ev.key === 'Escape') {
      close();
      input.focus();
    }
  });
  list.addEventListener('click', (ev) => {
    if (ev.target.closest('a')) {
      close();
      input.value = '';
    }
  });
  document.addEventListener('click', (ev) => {
    if (!wrap.contains(ev.target)) {
      close();
    }
  });
  const paint = () => {
    input.placeholder = t('search.placeholder');
    input.setAttribute('aria-label', t('search.placeholder'));
  };
  onLangChange(paint);
  paint();
  return wrap;
}
