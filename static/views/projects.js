// projects.js — 项目台账: the project ledger (GET /api/v1/projects) with
// filters by county, chain, status, emerging industry, signing dates and
// text, paging and sorting; each project's 修改历史. With an editor token
// (entered in the header, kept in sessionStorage) projects can be created,
// changed and deleted — not while the page shows the past (?as_of=) —
// with the form every record shares (edit.js): the API's problems next to
// the field they name, If-Match and 412, amounts in 亿元.

import {h, replace, add} from '../dom.js';
import {get, token, asOf} from '../api.js';
import {t, num, yiNum, projectStatusLabel, STATUSES, regionOwnLabel} from '../i18n.js';
import {href, navigate, current} from '../router.js';
import {loadMeta} from '../meta.js';
import {pager, historyDialog, recordRow, segmentSelect} from './history.js';
import {recordDialog as editDialog, linkDialogOf} from './edit.js';

const FILTERS = ['q', 'county', 'chain', 'segment', 'status', 'emerging', 'signed_from', 'signed_to'];
// SORTABLE are the columns the ledger sorts by; the API sorts every
// matching project (sort, dir) before it cuts the page, so a sort spans
// all pages, ties in id order.
const SORTABLE = new Set(['id', 'name', 'county', 'investment_wan', 'signed', 'status']);

function paramsOf(params) {
  const f = {};
  for (const k of FILTERS) {
    if (params.get(k)) {
      f[k] = params.get(k);
    }
  }
  return f;
}

async function load(filters, page, perPage, sort, dir, signal) {
  const order = SORTABLE.has(sort) ? {sort, dir} : {};
  return get('/projects', {...filters, ...order, page, per_page: perPage}, signal);
}

export async function render(root, params, ctx) {
  const meta = await loadMeta();
  const filters = paramsOf(params);
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const perPage = [20, 50, 100].includes(Number(params.get('per_page'))) ? Number(params.get('per_page')) : 20;
  const sort = params.get('sort') || '';
  const dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  const res = await load(filters, page, perPage, sort, dir, ctx.signal);
  const past = Boolean(asOf());
  const editing = Boolean(token()) && !past;
  document.addEventListener('tokenchange', () => ctx.rerender(), {signal: ctx.signal});

  const links = linkDialogOf(meta, ctx);
  const dialog = editDialog('project', meta, ctx, {linkDialog: links});
  const details = historyDialog('project', meta, ctx);
  const addBtn = editing ? h('button', {type: 'button', class: 'btn btn-primary', id: 'project-new'}, t('ledger.new')) : null;
  if (addBtn) {
    addBtn.addEventListener('click', () => dialog.open(null));
  }

  add(root,
    h('div', {class: 'page-head page-head-row'},
      h('div', null,
        h('h1', null, t('ledger.title')),
        h('p', {class: 'page-sub', id: 'ledger-sub'}, past ? t('ledger.subPast') : editing ? t('ledger.subEdit') : t('ledger.subRead'))),
      h('div', {class: 'toolbar'}, addBtn)),
    filterForm(meta, filters, perPage, sort, dir),
    h('section', {class: 'card'},
      h('div', {class: 'card-head'},
        h('h2', {id: 'ledger-count'}, t('ledger.count', num(res.total)))),
      res.items.length ? ledgerTable(res.items, meta, editing, sort, dir, dialog, details) : h('p', {class: 'muted'}, t('ledger.none')),
      pager('projects', page, perPage, res.total)),
    dialog.el,
    links.el,
    details.el);
  // ?edit=ID (the 编辑 link of a record's panel) opens that record's form,
  // once: the address forgets it, so a re-render after the save does not.
  const editId = params.get('edit');
  if (editId) {
    const rest = Object.fromEntries(params);
    delete rest.edit;
    navigate(href('projects', rest), {replace: true, silent: true});
    if (editing) {
      dialog.open({id: editId});
    }
  }
}

function filterForm(meta, f, perPage, sort, dir) {
  const input = (name, type, label, attrs) => h('label', {class: 'field'}, h('span', null, label),
    h('input', {class: 'input', name, type, value: f[name] || '', ...attrs}));
  const select = (name, label, options) => {
    const s = h('select', {class: 'select', name}, options.map(([v, text]) => h('option', {value: v}, text)));
    s.value = f[name] || '';
    return h('label', {class: 'field'}, h('span', null, label), s);
  };
  const perSel = h('select', {class: 'select', name: 'per_page'}, [20, 50, 100].map((n) => h('option', {value: n}, t('ledger.perPage', n))));
  perSel.value = String(perPage);
  const form = h('form', {class: 'filters card', id: 'ledger-filters', role: 'search'},
    input('q', 'search', t('ledger.q'), {placeholder: t('ledger.qPlaceholder')}),
    select('county', t('ledger.county'), [['', t('all')], [meta.region.code, meta.region.name + ' · ' + regionOwnLabel(meta.region)],
      ...meta.areaOptions().map((o) => [o.code, (o.zone ? '\u3000' : '') + o.name])]),
    select('chain', t('ledger.chain'), [['', t('all')], ...meta.chains.map((c) => [c.id, c.name])]),
    f.segment ? segmentSelect(meta, f.segment) : null,
    select('status', t('ledger.status'), [['', t('all')], ...STATUSES.map((s) => [s, projectStatusLabel(s)])]),
    select('emerging', t('ledger.emerging'), [['', t('all')], ['true', t('yes')], ['false', t('no')]]),
    input('signed_from', 'date', t('ledger.signedFrom')),
    input('signed_to', 'date', t('ledger.signedTo')),
    h('label', {class: 'field'}, h('span', null, t('ledger.pageSize')), perSel),
    h('div', {class: 'field field-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('ledger.apply')),
      h('a', {class: 'btn', href: href('projects')}, t('ledger.reset'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    navigate(href('projects', {...data, per_page: data.per_page === '20' ? '' : data.per_page, sort, dir: sort ? dir : ''}));
  });
  return form;
}

function ledgerTable(items, meta, editing, sort, dir, dialog, details) {
  const {params} = current();
  const sortLink = (key, label, cls) => {
    const next = sort === key && dir === 'asc' ? 'desc' : 'asc';
    const p = Object.fromEntries(params);
    const mark = sort === key ? (dir === 'asc' ? ' ▲' : ' ▼') : '';
    return h('th', {scope: 'col', class: cls, 'aria-sort': sort === key ? (dir === 'asc' ? 'ascending' : 'descending') : null},
      h('a', {href: href('projects', {...p, sort: key, dir: next, page: ''}), class: 'sort-link', dataset: {sort: key}}, label + mark));
  };
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table ledger', id: 'ledger-table'},
    h('thead', null, h('tr', null,
      sortLink('id', t('ledger.col.id')),
      sortLink('name', t('ledger.col.name')),
      sortLink('county', t('ledger.col.county')),
      h('th', {scope: 'col'}, t('ledger.col.segments')),
      sortLink('investment_wan', t('ledger.col.investment'), 'num'),
      sortLink('signed', t('ledger.col.signed')),
      sortLink('status', t('ledger.col.status')),
      h('th', {scope: 'col'}, t('ledger.col.emerging')),
      h('th', {scope: 'col'}, t('ledger.col.actions')))),
    h('tbody', null, items.map((p) => {
      const row = recordRow(p, 'project', meta, editing, dialog, details);
      return h('tr', {dataset: {id: p.id}},
        ...row.lead,
        h('td', {class: 'num'}, p.investment_wan === undefined ? '—' : yiNum(p.investment_wan)),
        h('td', {class: 'nowrap'}, p.signed || '—'),
        h('td', null, h('span', {class: ['badge', 'badge-project-' + p.status]}, projectStatusLabel(p.status))),
        h('td', null, p.emerging ? '✓' : ''),
        row.actions);
    }))));
}
