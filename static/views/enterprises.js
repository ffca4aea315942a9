// enterprises.js — 企业名录: every enterprise (GET /api/v1/enterprises),
// filtered by text (name, id, USCC), county and chain, page by page, each
// with its 修改历史. With an editor token enterprises are created,
// changed and deleted with the same form as projects (edit.js), their
// supply links with the link form — not while the page shows the past.

import {h, replace, add} from '../dom.js';
import {get, token, asOf} from '../api.js';
import {t, num, yiNum, regionOwnLabel} from '../i18n.js';
import {href, navigate} from '../router.js';
import {loadMeta} from '../meta.js';
import {pager, historyDialog, recordRow, segmentSelect} from './history.js';
import {recordDialog, linkDialogOf} from './edit.js';

const FILTERS = ['q', 'county', 'chain', 'segment'];
const PER_PAGE = 20;

export async function render(root, params, ctx) {
  const meta = await loadMeta();
  const filters = {};
  for (const k of FILTERS) {
    if (params.get(k)) {
      filters[k] = params.get(k);
    }
  }
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const res = await get('/enterprises', {...filters, page, per_page: PER_PAGE}, ctx.signal);
  const past = Boolean(asOf());
  const editing = Boolean(token()) && !past;
  document.addEventListener('tokenchange', () => ctx.rerender(), {signal: ctx.signal});

  const links = linkDialogOf(meta, ctx);
  const dialog = recordDialog('enterprise', meta, ctx, {linkDialog: links});
  const details = historyDialog('enterprise', meta, ctx);
  let tools = null;
  if (editing) {
    const addBtn = h('button', {type: 'button', class: 'btn btn-primary', id: 'enterprise-new'}, t('ent.new'));
    addBtn.addEventListener('click', () => dialog.open(null));
    const linkBtn = h('button', {type: 'button', class: 'btn', id: 'link-new'}, t('ent.newLink'));
    linkBtn.addEventListener('click', () => links.open(null));
    tools = [linkBtn, addBtn];
  }

  add(root,
    h('div', {class: 'page-head page-head-row'},
      h('div', null,
        h('h1', null, t('ent.title')),
        h('p', {class: 'page-sub', id: 'ent-sub'}, past ? t('ledger.subPast') : editing ? t('ent.subEdit') : t('ent.subRead'))),
      h('div', {class: 'toolbar'}, tools)),
    filterForm(meta, filters),
    h('section', {class: 'card'},
      h('div', {class: 'card-head'}, h('h2', {id: 'ent-count'}, t('ent.count', num(res.total)))),
      res.items.length ? table(res.items, meta, editing, dialog, details) : h('p', {class: 'muted'}, t('ent.none')),
      pager('enterprises', page, PER_PAGE, res.total)),
    dialog.el,
    links.el,
    details.el);
  // ?edit=ID (the 编辑 link of a record's panel) opens that record's form,
  // once: the address forgets it, so a re-render after the save does not.
  const editId = params.get('edit');
  if (editId) {
    const rest = Object.fromEntries(params);
    delete rest.edit;
    navigate(href('enterprises', rest), {replace: true, silent: true});
    if (editing) {
      dialog.open({id: editId});
    }
  }
}

function filterForm(meta, f) {
  const select = (name, label, options) => {
    const s = h('select', {class: 'select', name}, options.map(([v, text]) => h('option', {value: v}, text)));
    s.value = f[name] || '';
    return h('label', {class: 'field'}, h('span', null, label), s);
  };
  const form = h('form', {class: 'filters card', id: 'ent-filters', role: 'search'},
    h('label', {class: 'field'}, h('span', null, t('ent.q')), h('input', {class: 'input', name: 'q', type: 'search', value: f.q || ''})),
    select('county', t('ledger.county'), [['', t('all')], [meta.region.code, meta.region.name + ' · ' + regionOwnLabel(meta.region)],
      ...meta.areaOptions().map((o) => [o.code, (o.zone ? '\u3000' : '') + o.name])]),
    select('chain', t('ledger.chain'), [['', t('all')], ...meta.chains.map((c) => [c.id, c.name])]),
    f.segment ? segmentSelect(meta, f.segment) : null,
    h('div', {class: 'field field-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('ledger.apply')),
      h('a', {class: 'btn', href: href('enterprises')}, t('ledger.reset'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate(href('enterprises', Object.fromEntries(new FormData(form))));
  });
  return form;
}

function table(items, meta, editing, dialog, details) {
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table ledger', id: 'ent-table'},
    h('thead', null, h('tr', null,
      h('th', {scope: 'col'}, t('form.enterpriseId')),
      h('th', {scope: 'col'}, t('form.enterpriseName')),
      h('th', {scope: 'col'}, t('ledger.col.county')),
      h('th', {scope: 'col'}, t('ledger.col.segments')),
      h('th', {scope: 'col', class: 'num'}, t('ent.col.output')),
      h('th', {scope: 'col'}, t('ent.col.leader')),
      h('th', {scope: 'col'}, t('ledger.col.actions')))),
    h('tbody', null, items.map((e) => {
      const row = recordRow(e, 'enterprise', meta, editing, dialog, details);
      return h('tr', {dataset: {id: e.id}},
        ...row.lead,
        h('td', {class: 'num'}, e.output_wan === undefined || e.output_wan === null ? '—' : yiNum(e.output_wan)),
        h('td', {class: 'small'}, (e.leader_of || []).map((c) => meta.chainName(c)).join(t('sep.list'))),
        row.actions);
    }))));
}
