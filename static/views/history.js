// history.js — 修改历史: who changed one enterprise or project, and when
// (GET /api/v1/history), each change with the fields it changed from what
// to what. Consecutive versions are compared the way SPEC §8's diff
// compares records: absent, "", [] and {} are equal, lists compare in
// order. The panorama's record panel and the project ledger show it.

import {h, replace} from '../dom.js';
import {get, asOf} from '../api.js';
import {t, num, wan, beijingTime, projectStatusLabel, leadStageLabel, LEAD_STAGES} from '../i18n.js';
import {href, current} from '../router.js';
import {resolveAsOf, actorName, summaryText} from './asof.js';

// FIELDS are the fields of enterprises and projects in the order a record
// shows them, each with its label; any other field shows by its JSON name.
const FIELDS = ['id', 'from', 'to', 'name', 'product', 'uscc', 'investor', 'enterprise', 'county', 'segments', 'leader_of', 'investment_wan', 'output_wan',
  'signed', 'started', 'status', 'stage', 'dates', 'project', 'owner', 'reason', 'emerging', 'source', 'note'];

function fieldLabel(field) {
  return FIELDS.includes(field) ? t('field.' + field) : field;
}

function changeLabel(change) {
  return t('hist.change.' + change);
}

// blank: the values SPEC §8 counts as absent.
function blank(v) {
  if (v === undefined || v === null || v === '') {
    return true;
  }
  if (Array.isArray(v)) {
    return v.length === 0;
  }
  return typeof v === 'object' && Object.keys(v).length === 0;
}

// sameValue compares two field values as SPEC §8's diff does.
export function sameValue(a, b) {
  if (blank(a) || blank(b)) {
    return blank(a) && blank(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

// fieldChanges lists the fields whose value differs between two versions
// of a record, as {field, from, to}, in the record's own order.
export function fieldChanges(before, after) {
  const a = before || {};
  const b = after || {};
  const keys = [...new Set([...FIELDS, ...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => (k in a || k in b) && !sameValue(a[k], b[k])).map((k) => ({field: k, from: a[k], to: b[k]}));
}

// showValue writes a field's value in words: names for codes and ids the
// page knows, amounts with their unit, （空） for an absent value.
function showValue(field, v, meta) {
  if (blank(v)) {
    return t('hist.empty');
  }
  switch (field) {
    case 'county':
      return t('hist.county', meta.areaName(v), v);
    case 'segments':
      return Array.isArray(v) ? v.map((s) => (meta.segment(s) || {name: s}).name).join(t('sep.list')) : String(v);
    case 'leader_of':
      return Array.isArray(v) ? v.map((c) => meta.chainName(c)).join(t('sep.list')) : String(v);
    case 'status':
      return projectStatusLabel(v);
    case 'stage':
      return leadStageLabel(v);
    case 'dates':
      return typeof v === 'object' ? LEAD_STAGES.filter((st) => v[st]).map((st) => leadStageLabel(st) + ' ' + v[st]).join(t('sep.list')) : String(v);
    case 'investment_wan':
    case 'output_wan':
      return typeof v === 'number' ? wan(v) : String(v);
    case 'emerging':
      return v ? t('yes') : t('no');
    default:
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

// fieldTable shows field changes, one row each: label, before → after.
export function fieldTable(changes, meta) {
  return h('table', {class: 'hist-fields'}, h('tbody', null, changes.map((c) => h('tr', {dataset: {field: c.field}},
    h('th', {scope: 'row'}, fieldLabel(c.field)),
    h('td', null,
      h('del', {class: 'hist-from'}, showValue(c.field, c.from, meta)),
      h('span', {class: 'hist-arrow', 'aria-hidden': 'true'}, ' → '),
      h('ins', {class: 'hist-to'}, showValue(c.field, c.to, meta)))))));
}

// versionsAround returns the record before and after the revision of an
// event: the version that ended there, and the one that began there (the
// current record when no later version closed it).
function versionsAround(hist, ev) {
  const ended = hist.versions.find((v) => v.to === ev.rev);
  const began = hist.versions.find((v) => v.from === ev.rev);
  const before = ev.change === 'added' ? null : ended ? ended.record : null;
  const after = ev.change === 'removed' ? null : began ? began.record : hist.current || null;
  return {before, after};
}

function eventItem(hist, ev, meta, viewedRev) {
  const {before, after} = versionsAround(hist, ev);
  const changes = ev.change === 'changed' ? fieldChanges(before, after) : [];
  const later = viewedRev > 0 && ev.rev > viewedRev;
  const {view, params} = current();
  // The whole view as it was right after this change (a removal has no
  // record to show then).
  const then = ev.change !== 'removed' && ev.rev !== viewedRev
    ? h('a', {class: 'hist-then', href: href(view, {...Object.fromEntries(params), as_of: ev.rev})}, t('hist.then'))
    : null;
  return h('li', {class: ['hist-event', 'hist-' + ev.change, later ? 'is-later' : null], dataset: {rev: String(ev.rev), change: ev.change}},
    h('div', {class: 'hist-head'},
      h('span', {class: 'hist-rev'}, t('hist.rev', num(ev.rev))),
      h('span', {class: ['badge', 'badge-change-' + ev.change]}, changeLabel(ev.change)),
      h('time', {class: 'hist-at', datetime: ev.at}, beijingTime(ev.at)),
      h('span', {class: 'hist-by'}, actorName(ev.by)),
      later ? h('span', {class: 'tag hist-later'}, t('hist.later')) : null),
    h('div', {class: 'hist-summary'}, summaryText(ev.summary), then ? [' · ', then] : null),
    changes.length ? fieldTable(changes, meta)
      : ev.change === 'changed' ? h('p', {class: 'muted small hist-nofields'}, t('hist.noFields')) : null);
}

// historySection is the 修改历史 section of an enterprise or project
// (kind; a link is named by key, {from, to}), newest change first. It returns at once and fills itself in
// when the history has loaded (data-state: loading, done, failed); while
// the page shows the past, the changes after the revision on screen are
// marked as later.
export function historySection(kind, id, meta, signal, key) {
  const body = h('div', {class: 'hist-body'}, h('p', {class: 'muted small'}, t('loading')));
  const section = h('section', {class: 'hist', dataset: {kind, id, state: 'loading'}},
    h('h3', null, t('hist.title'), h('small', {class: 'hist-note'}, t('hist.timeNote'))),
    body);
  const load = async () => {
    const v = asOf();
    const [hist, viewed] = await Promise.all([
      get('/history', key ? {kind, ...key} : {kind, id}, signal),
      v ? resolveAsOf(v).then((r) => r.rev, () => 0) : 0,
    ]);
    const events = [...hist.events].reverse();
    replace(body, events.length
      ? h('ol', {class: 'hist-list'}, events.map((ev) => eventItem(hist, ev, meta, viewed)))
      : h('p', {class: 'muted small'}, t('hist.none')));
    section.dataset.state = 'done';
  };
  load().catch((err) => {
    if (err.name === 'AbortError') {
      return;
    }
    replace(body, h('p', {class: 'muted small'}, t('hist.failed', err.message)));
    section.dataset.state = 'failed';
  });
  return section;
}

// pager links the pages of a paged record list (the ledger, the
// enterprise directory): the view's own address with page=N.
export function pager(view, page, perPage, total) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const {params} = current();
  const to = (n) => href(view, {...Object.fromEntries(params), page: n === 1 ? '' : n});
  return h('nav', {class: 'pager', 'aria-label': t('ledger.pages')},
    page > 1 ? h('a', {class: 'btn', href: to(page - 1), rel: 'prev'}, t('ledger.prev')) : h('span', {class: 'btn is-disabled'}, t('ledger.prev')),
    h('span', {class: 'pager-info'}, t('ledger.pageOf', num(page), num(pages))),
    page < pages ? h('a', {class: 'btn', href: to(page + 1), rel: 'next'}, t('ledger.next')) : h('span', {class: 'btn is-disabled'}, t('ledger.next')));
}

// segmentSelect is the segment filter of the ledgers (the enterprise
// directory, the project ledger), shown when the address names a segment:
// a segment panel links there for all of its members. It offers that
// segment or all.
export function segmentSelect(meta, id) {
  const seg = meta.segment(id);
  const s = h('select', {class: 'select', name: 'segment', id: 'segment-filter'}, h('option', {value: ''}, t('all')),
    h('option', {value: id}, seg ? `${meta.chainName(seg.chain)} · ${seg.name}` : id));
  s.value = id;
  return h('label', {class: 'field'}, h('span', null, t('ledger.segment')), s);
}

// historyDialog shows one record's 修改历史 (who changed it, when, and
// which fields from what to what), for every reader, in a modal dialog;
// kind is the record kind of /api/v1/history.
export function historyDialog(kind, meta, ctx) {
  const title = h('h2', {id: 'record-dialog-title'});
  const sub = h('p', {class: 'panel-id'});
  const body = h('div', {class: 'form-body'});
  const close = h('button', {type: 'button', class: 'btn', id: 'record-close'}, t('close'));
  const el = h('dialog', {class: 'dialog', id: 'record-dialog', 'aria-labelledby': 'record-dialog-title'},
    h('div', {class: 'project-form'},
      h('div', {class: 'form-head'}, title, sub),
      body,
      h('div', {class: 'form-actions'}, h('span', {class: 'spacer'}), close)));
  close.addEventListener('click', () => el.close());
  return {
    el,
    open(r) {
      title.textContent = r.name;
      sub.textContent = r.id;
      replace(body, historySection(kind, r.id, meta, ctx.signal));
      el.showModal();
      close.focus();
    },
  };
}

// recordRow gives the cells every record list starts and ends with: the
// id, the name (linking to the record in its chain's panorama when it has
// a segment), the county and the segments; and the actions cell with the
// edit button (editors only) and the history button.
export function recordRow(r, kind, meta, editing, dialog, details) {
  let edit = null;
  if (editing) {
    edit = h('button', {type: 'button', class: 'btn btn-small', dataset: {edit: r.id}}, t('ledger.edit'));
    edit.addEventListener('click', async () => {
      edit.disabled = true;
      try {
        await dialog.open(r);
      } finally {
        edit.disabled = false;
      }
    });
  }
  const hist = h('button', {type: 'button', class: 'btn btn-small btn-ghost', dataset: {history: r.id}}, t('ledger.history'));
  hist.addEventListener('click', () => details.open(r));
  const segs = (r.segments || []).map((s) => meta.segment(s)).filter(Boolean);
  return {
    lead: [
      h('td', {class: 'mono small'}, r.id),
      h('td', {class: 'ledger-name'}, segs.length
        ? h('a', {href: href('panorama', {area: meta.areaOf(r.county), chain: segs[0].chain, node: r.id, kind})}, r.name)
        : r.name),
      h('td', null, meta.areaName(r.county)),
      h('td', {class: 'small'}, segs.map((s) => s.name).join(t('sep.list')))],
    actions: h('td', {class: 'nowrap'}, edit, edit ? ' ' : null, hist),
  };
}
