// audit.js — 修改记录: every revision of the data (GET /api/v1/revisions),
// newest first: its number, when (Beijing time), who (the editor's name
// the token carries, 命令行 for the CLI) and what, with a link to the
// whole app as it was right after it.

import {h, add} from '../dom.js';
import {get} from '../api.js';
import {t, num, beijingTime} from '../i18n.js';
import {href} from '../router.js';
import {actorName, summaryText} from './asof.js';

const PER_PAGE = 50;

export async function render(root, params, ctx) {
  const before = Math.max(0, parseInt(params.get('before') || '0', 10) || 0);
  const res = await get('/revisions', {limit: PER_PAGE, before: before || ''}, ctx.signal);
  const revs = res.revisions;
  const oldest = revs.length ? revs[revs.length - 1].rev : 0;
  add(root,
    h('div', {class: 'page-head page-head-row'},
      h('div', null,
        h('h1', null, t('audit.title')),
        h('p', {class: 'page-sub'}, t('audit.sub'))),
      h('div', {class: 'toolbar'}, h('a', {class: 'btn', id: 'audit-changes', href: href('changes', {as_of: ''})}, t('nav.changes')))),
    h('section', {class: 'card'},
      h('div', {class: 'card-head'}, h('h2', {id: 'audit-count'}, t('audit.count', num(res.total)))),
      h('div', {class: 'table-wrap'}, h('table', {class: 'table audit-table', id: 'audit-table'},
        h('thead', null, h('tr', null,
          h('th', {scope: 'col', class: 'num'}, t('audit.col.rev')),
          h('th', {scope: 'col'}, t('audit.col.at')),
          h('th', {scope: 'col'}, t('audit.col.by')),
          h('th', {scope: 'col'}, t('audit.col.summary')),
          h('th', {scope: 'col'}))),
        h('tbody', null, revs.map((r) => h('tr', {dataset: {rev: String(r.rev)}},
          h('td', {class: 'num'}, num(r.rev)),
          h('td', {class: 'nowrap'}, h('time', {datetime: r.at}, beijingTime(r.at))),
          h('td', {class: 'audit-by'}, actorName(r.by)),
          h('td', {class: 'audit-summary'}, summaryText(r.summary)),
          h('td', {class: 'nowrap'}, h('a', {href: href('dashboard', {as_of: r.rev})}, t('audit.then')),
            r.rev > 1 ? [' · ', h('a', {class: 'audit-diff', href: href('changes', {from: r.rev - 1, to: r.rev, as_of: ''})}, t('audit.diff'))] : null)))))),
      h('nav', {class: 'pager', 'aria-label': t('ledger.pages')},
        before ? h('a', {class: 'btn', href: href('audit')}, t('audit.newest')) : null,
        oldest > 1 ? h('a', {class: 'btn', href: href('audit', {before: oldest}), rel: 'next'}, t('audit.older')) : null)));
}
