// leads.js — 招商线索: the 招商 pipeline (SPEC §1, §9; GET /api/v1/leads)
// with filters by area, chain, stage and text. With an editor token (and
// not while the page shows the past) leads are created and edited in the
// form every record shares (edit.js: problems by field, If-Match and 412,
// 修改历史), advanced to the next stage with today's date, or dropped with
// a reason. A signed lead links to its project.
//
// ?new=1&name=&enterprise=&county=&segment= opens a new lead filled in
// from a gap-filling target (the gap report and the segment panel link
// here); ?ids=A,B,… lists just those leads (the bars of the funnel).

import {h, add} from '../dom.js';
import {get, getVersioned, send, token, asOf, ApiError} from '../api.js';
import {t, num, leadStageLabel, LEAD_PIPELINE, LEAD_STAGES, beijingDay} from '../i18n.js';
import {href, navigate} from '../router.js';
import {loadMeta} from '../meta.js';
import {recordDialog} from './edit.js';
import {pager} from './history.js';

const FILTERS = ['q', 'area', 'chain', 'stage'];
const PER_PAGE = 50;

// today is the day in Beijing, the date a stage reached now gets.
export function today() {
  return beijingDay(new Date().toISOString());
}

// nextStage is the stage after a lead's own in the pipeline ('' for a
// signed or dropped lead).
export function nextStage(stage) {
  const i = LEAD_PIPELINE.indexOf(stage);
  return i < 0 || i === LEAD_PIPELINE.length - 1 ? '' : LEAD_PIPELINE[i + 1];
}

// newLeadHref is the address that opens a new lead filled in from a
// gap-filling target: its name, the stored enterprise it is (when it is
// one), the county pursuing it and the segment it would fill.
export function newLeadHref({name, enterprise, county, segment}) {
  return href('leads', {new: '1', name, enterprise, county, segment});
}

// loadAll reads every lead matching the filters, page by page.
async function loadAll(filters, signal) {
  const out = [];
  for (;;) {
    const res = await get('/leads', {...filters, offset: out.length, limit: 500}, signal);
    out.push(...res.leads);
    if (!res.leads.length || out.length >= res.total) {
      return out;
    }
  }
}

export async function render(root, params, ctx) {
  const meta = await loadMeta();
  const filters = {};
  for (const k of FILTERS) {
    if (params.get(k)) {
      filters[k] = params.get(k);
    }
  }
  const ids = (params.get('ids') || '').split(',').filter(Boolean);
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  let leads;
  let total;
  if (ids.length) {
    const want = new Set(ids);
    leads = (await loadAll({}, ctx.signal)).filter((l) => want.has(l.id));
    total = leads.length;
  } else {
    const res = await get('/leads', {...filters, offset: (page - 1) * PER_PAGE, limit: PER_PAGE}, ctx.signal);
    leads = res.leads;
    total = res.total;
  }
  const past = Boolean(asOf());
  const editing = Boolean(token()) && !past;
  document.addEventListener('tokenchange', () => ctx.rerender(), {signal: ctx.signal});

  const dialog = recordDialog('lead', meta, ctx);
  const drop = dropDialog(ctx);
  const addBtn = editing ? h('button', {type: 'button', class: 'btn btn-primary', id: 'lead-new'}, t('lead.new')) : null;
  if (addBtn) {
    addBtn.addEventListener('click', () => dialog.open(null, {today: today()}));
  }
  add(root,
    h('div', {class: 'page-head page-head-row'},
      h('div', null,
        h('h1', null, t('lead.title')),
        h('p', {class: 'page-sub', id: 'lead-sub'}, past ? t('lead.subPast') : editing ? t('lead.subEdit') : t('lead.subRead'))),
      h('div', {class: 'toolbar'},
        h('a', {class: 'btn', href: href('funnel', {area: filters.area, chain: filters.chain})}, t('lead.toFunnel')), ' ', addBtn)),
    ids.length
      ? h('div', {class: 'card filters', id: 'lead-ids'}, h('span', null, t('lead.idsFilter', num(ids.length))), ' ',
        h('a', {class: 'btn btn-small', href: href('leads')}, t('ledger.reset')))
      : filterForm(meta, filters),
    h('section', {class: 'card'},
      h('div', {class: 'card-head'}, h('h2', {id: 'lead-count'}, t('lead.count', num(total)))),
      leads.length ? leadTable(leads, meta, editing, dialog, drop, ctx) : h('p', {class: 'muted'}, t('lead.none')),
      ids.length || total <= PER_PAGE ? null : pager('leads', page, PER_PAGE, total)),
    dialog.el,
    drop.el);

  // ?new=1 (a gap-filling target's 转为线索) opens a new lead filled in,
  // once: the address forgets it.
  if (params.get('new')) {
    const rest = Object.fromEntries(params);
    const preset = {name: rest.name, enterprise: rest.enterprise, county: rest.county,
      segments: rest.segment ? [rest.segment] : [], today: today()};
    for (const k of ['new', 'name', 'enterprise', 'county', 'segment']) {
      delete rest[k];
    }
    navigate(href('leads', rest), {replace: true, silent: true});
    if (editing) {
      dialog.open(null, preset);
    } else {
      ctx.toast(past ? t('lead.newPast') : t('lead.newNeedsToken'), true);
    }
  }
}

function filterForm(meta, f) {
  const select = (name, label, options) => {
    const s = h('select', {class: 'select', name}, options.map(([v, text]) => h('option', {value: v}, text)));
    s.value = f[name] || '';
    return h('label', {class: 'field'}, h('span', null, label), s);
  };
  const form = h('form', {class: 'filters card', id: 'lead-filters', role: 'search'},
    h('label', {class: 'field'}, h('span', null, t('ledger.q')),
      h('input', {class: 'input', name: 'q', type: 'search', value: f.q || '', placeholder: t('lead.qPlaceholder')})),
    select('area', t('lead.col.county'), [['', t('all')], ...meta.areaOptions().map((o) => [o.code, (o.zone ? '\u3000' : '') + o.name])]),
    select('chain', t('ledger.chain'), [['', t('all')], ...meta.chains.map((c) => [c.id, c.name])]),
    select('stage', t('lead.col.stage'), [['', t('all')], ...LEAD_STAGES.map((s) => [s, leadStageLabel(s)])]),
    h('div', {class: 'field field-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('ledger.apply')),
      h('a', {class: 'btn', href: href('leads')}, t('ledger.reset'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate(href('leads', Object.fromEntries(new FormData(form))));
  });
  return form;
}

// lastDate is the day a lead reached its own stage, or the latest it has.
function lastDate(l) {
  const d = l.dates || {};
  return d[l.stage] || Object.values(d).sort().pop() || '';
}

function leadTable(leads, meta, editing, dialog, drop, ctx) {
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table ledger', id: 'lead-table'},
    h('thead', null, h('tr', null,
      [t('lead.col.id'), t('lead.col.name'), t('lead.col.county'), t('ledger.col.segments'), t('lead.col.stage'),
        t('lead.col.date'), t('lead.owner'), t('ledger.col.actions')].map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', null, leads.map((l) => {
      const segs = (l.segments || []).map((s) => meta.segment(s)).filter(Boolean);
      const actions = [];
      if (editing) {
        const edit = h('button', {type: 'button', class: 'btn btn-small', dataset: {edit: l.id}}, t('ledger.edit'));
        edit.addEventListener('click', () => dialog.open(l));
        actions.push(edit);
        const next = nextStage(l.stage);
        if (next) {
          const adv = h('button', {type: 'button', class: 'btn btn-small btn-primary', dataset: {advance: l.id}, title: t('lead.advanceTitle', leadStageLabel(next))},
            t('lead.advance', leadStageLabel(next)));
          adv.addEventListener('click', () => advance(l.id, next, adv, ctx));
          actions.push(adv);
        }
        if (l.stage !== 'dropped' && l.stage !== 'signed') {
          const d = h('button', {type: 'button', class: 'btn btn-small btn-ghost', dataset: {drop: l.id}}, t('lead.drop'));
          d.addEventListener('click', () => drop.open(l));
          actions.push(d);
        }
      }
      const signedTo = l.stage === 'signed' && l.project
        ? h('a', {class: 'lead-project', href: href('projects', {q: l.project})}, t('lead.toProject', l.project)) : null;
      return h('tr', {dataset: {id: l.id, stage: l.stage}},
        h('td', {class: 'mono small nowrap'}, l.id),
        h('td', {class: 'ledger-name'}, l.name,
          l.enterprise ? h('div', {class: 'small'}, h('a', {href: href('enterprises', {q: l.enterprise})}, t('lead.stored', l.enterprise))) : null,
          l.stage === 'dropped' && l.reason ? h('div', {class: 'small muted lead-reason'}, t('lead.reasonShown', l.reason)) : null),
        h('td', null, meta.areaName(l.county)),
        h('td', {class: 'small'}, segs.map((s) => h('a', {href: href('panorama', {area: meta.areaOf(l.county), chain: s.chain, seg: s.id})}, s.name))
          .flatMap((a, i) => (i ? [t('sep.list'), a] : [a]))),
        h('td', null, h('span', {class: ['badge', 'badge-lead-' + l.stage]}, leadStageLabel(l.stage)), signedTo ? [' ', signedTo] : null),
        h('td', {class: 'nowrap'}, lastDate(l) || '—'),
        h('td', null, l.owner || '—'),
        h('td', {class: 'nowrap'}, actions.flatMap((a, i) => (i ? [' ', a] : [a]))));
    }))));
}

// update reads a lead as stored now with its ETag, changes it and writes
// it back with If-Match: an edit someone saved in between is refused (412).
async function update(id, change) {
  const {data, etag} = await getVersioned('/leads/' + encodeURIComponent(id));
  const l = data.lead || data;
  const next = change({...l, dates: {...(l.dates || {})}});
  return send('PUT', '/leads/' + encodeURIComponent(id), next, undefined, {ifMatch: etag});
}

// advance moves a lead to the next stage, reached today.
async function advance(id, next, btn, ctx) {
  btn.disabled = true;
  try {
    await update(id, (l) => {
      l.stage = next;
      l.dates[next] = today();
      return l;
    });
    ctx.toast(t('lead.advanced', id, leadStageLabel(next)));
    ctx.rerender();
  } catch (err) {
    btn.disabled = false;
    ctx.toast(problemText(err), true);
  }
}

function problemText(err) {
  if (!(err instanceof ApiError)) {
    return err.message;
  }
  const probs = err.problems.map((p) => p.message).filter(Boolean);
  return t('form.refused', err.status) + ' ' + err.message + (probs.length ? ' ' + probs.join(' ') : '');
}

// dropDialog asks why a lead is dropped, then writes stage dropped with
// today's date and the reason.
function dropDialog(ctx) {
  const title = h('h2', {id: 'drop-dialog-title'});
  const reason = h('input', {class: 'input', id: 'drop-reason', name: 'reason', autocomplete: 'off', required: true});
  const alert = h('div', {class: 'form-alert', id: 'drop-alert', role: 'alert', hidden: true});
  const save = h('button', {type: 'submit', class: 'btn btn-danger', id: 'drop-save'}, t('lead.dropConfirm'));
  const cancel = h('button', {type: 'button', class: 'btn', id: 'drop-cancel'}, t('form.cancel'));
  const form = h('form', {class: 'project-form', id: 'drop-form', novalidate: true},
    h('div', {class: 'form-head'}, title),
    h('div', {class: 'form-body'}, alert,
      h('div', {class: 'field field-wide'}, h('label', {for: 'drop-reason'}, t('lead.reason')), reason)),
    h('div', {class: 'form-actions'}, h('span', {class: 'spacer'}), cancel, save));
  const el = h('dialog', {class: 'dialog dialog-small', id: 'drop-dialog', 'aria-labelledby': 'drop-dialog-title'}, form);
  let lead = null;
  cancel.addEventListener('click', () => el.close());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const why = reason.value.trim();
    if (!why) {
      alert.textContent = t('lead.reasonNeeded');
      alert.hidden = false;
      reason.focus();
      return;
    }
    save.disabled = true;
    try {
      await update(lead.id, (l) => {
        l.stage = 'dropped';
        l.dates.dropped = today();
        l.reason = why;
        return l;
      });
      el.close();
      ctx.toast(t('lead.dropped', lead.id));
      ctx.rerender();
    } catch (err) {
      alert.textContent = problemText(err);
      alert.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  return {
    el,
    open(l) {
      lead = l;
      title.textContent = t('lead.dropTitle', l.name);
      reason.value = '';
      alert.hidden = true;
      el.showModal();
      reason.focus();
    },
  };
}
