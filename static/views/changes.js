// changes.js — 变化对比: what changed between two revisions or save dates
// (GET /api/v1/changes, SPEC §8) as an officer reads it: gaps closed
// (补链), new gaps, new single points of failure (cut nodes added), and
// projects that started or stalled, each with links into the panorama as
// of either end (?as_of=). By default the last two revisions.

import {h, add} from '../dom.js';
import {get} from '../api.js';
import {t, num, beijingTime, areaAllLabel, projectStatusLabel} from '../i18n.js';
import {href, navigate} from '../router.js';
import {loadMeta} from '../meta.js';
import {actorName, summaryText} from './asof.js';

const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

export async function render(root, params, ctx) {
  const [meta, revs] = await Promise.all([loadMeta(), get('/revisions', {limit: 100}, ctx.signal)]);
  const latest = revs.revisions.length ? revs.revisions[0].rev : 0;
  let from = params.get('from') || '';
  let to = params.get('to') || '';
  if (!from) {
    from = String(Math.max(1, latest - 1));
  }
  if (!to) {
    to = String(latest);
  }
  const head = h('div', {class: 'page-head'},
    h('h1', null, t('chg.title')),
    h('p', {class: 'page-sub'}, t('chg.sub')));
  if (latest === 0) {
    add(root, head, h('p', {class: 'muted'}, t('chg.noRevisions')));
    return;
  }
  const c = await get('/changes', {from, to}, ctx.signal);
  const names = nameBook(ctx.signal);
  const facts = readChanges(c);
  await names.load([...facts.cuts.map((x) => x.id), ...facts.started.map((x) => x.id), ...facts.stalled.map((x) => x.id)]);
  const end = (rev) => revs.revisions.find((r) => r.rev === rev);
  const endText = (rev) => {
    const r = end(rev);
    return r ? t('chg.endRev', num(rev), beijingTime(r.at), actorName(r.by), summaryText(r.summary)) : t('hist.rev', num(rev));
  };
  const pano = (area, chain, seg) => [
    h('a', {class: 'chg-then', href: href('panorama', {area, chain, seg, as_of: c.from})}, t('chg.asOf', num(c.from))), ' · ',
    h('a', {class: 'chg-now', href: href('panorama', {area, chain, seg, as_of: c.to})}, t('chg.asOf', num(c.to)))];
  const areaName = (a) => (a === '*' ? areaAllLabel(meta.region) : meta.areaName(a));
  const segName = (id) => (meta.segment(id) || {name: id}).name;

  const segRows = (list, id) => section(id, t('chg.' + id, num(list.length)), list.length
    ? h('ul', {class: 'plain-list chg-list'}, list.map((x) => h('li', {dataset: {area: x.area, chain: x.chain, segment: x.segment}},
      h('strong', null, segName(x.segment)), ' ',
      h('span', {class: 'muted'}, `${areaName(x.area)} · ${meta.chainName(x.chain)} · ${statusWord(x.before)} → ${statusWord(x.after)}`), ' ',
      h('span', {class: 'small'}, pano(x.area, x.chain, x.segment)))))
    : h('p', {class: 'muted small'}, t('chg.none')));

  add(root, head,
    pickers(revs, from, to),
    h('p', {class: 'chg-ends', id: 'chg-ends'}, t('chg.from'), ' ', endText(c.from), h('br'), t('chg.to'), ' ', endText(c.to)),
    h('div', {class: 'kpis chg-kpis'},
      kpi('chg-k-closed', t('chg.k.closed'), facts.closed.length),
      kpi('chg-k-opened', t('chg.k.opened'), facts.opened.length),
      kpi('chg-k-cuts', t('chg.k.cuts'), facts.cuts.length),
      kpi('chg-k-started', t('chg.k.started'), facts.started.length),
      kpi('chg-k-stalled', t('chg.k.stalled'), facts.stalled.length)),
    h('div', {class: 'grid-2'},
      segRows(facts.closed, 'closed'),
      segRows(facts.opened, 'opened')),
    section('cuts', t('chg.cuts', num(facts.cuts.length)), facts.cuts.length
      ? h('ul', {class: 'plain-list chg-list'}, facts.cuts.map((x) => h('li', {dataset: {id: x.id}},
        h('strong', null, names.name(x.id)), ' ', h('span', {class: 'mono small muted'}, x.id), ' ',
        h('span', {class: 'muted'}, `${areaName(x.area)} · ${meta.chainName(x.chain)}`), ' ',
        h('a', {class: 'small', href: href('panorama', {area: x.area, chain: x.chain, node: x.id, as_of: c.to})}, t('chg.asOf', num(c.to))))))
      : h('p', {class: 'muted small'}, t('chg.none'))),
    h('div', {class: 'grid-2'},
      projectList('started', facts.started, names, c),
      projectList('stalled', facts.stalled, names, c)),
    section('records', t('chg.records', num(c.records.length)), recordSummary(c.records)));
}

// readChanges sorts the diff into what officers ask about.
export function readChanges(c) {
  const closed = [];
  const opened = [];
  const cuts = [];
  for (const s of c.scopes || []) {
    for (const seg of s.segments || []) {
      const [before, after] = seg.status;
      const x = {area: s.area, chain: s.chain, segment: seg.id, before, after};
      if (before === 'missing' && after && after !== 'missing') {
        closed.push(x);
      } else if (after === 'missing' && before && before !== 'missing') {
        opened.push(x);
      }
    }
    for (const id of (s.cut_nodes && s.cut_nodes.added) || []) {
      cuts.push({area: s.area, chain: s.chain, id});
    }
  }
  const started = [];
  const stalled = [];
  for (const r of c.records || []) {
    if (r.kind !== 'project' || r.change !== 'changed' || !r.fields || !r.fields.status) {
      continue;
    }
    const [before, after] = r.fields.status;
    if (after === 'stalled') {
      stalled.push({id: r.id, before, after});
    } else if ((after === 'started' || after === 'operating') && (before === 'signed' || before === 'stalled' || before === null)) {
      started.push({id: r.id, before, after});
    }
  }
  return {closed, opened, cuts, started, stalled};
}

function statusWord(s) {
  return s ? t('status.' + s) : t('chg.absent');
}

// nameBook finds the names of enterprises and projects by id (search).
function nameBook(signal) {
  const known = new Map();
  return {
    async load(ids) {
      await Promise.all([...new Set(ids)].map(async (id) => {
        try {
          const res = await get('/search', {q: id, limit: 10}, signal);
          const hit = res.items.find((x) => x.id === id);
          if (hit) {
            known.set(id, hit.name);
          }
        } catch {
          // the id stands for the name
        }
      }));
    },
    name: (id) => known.get(id) || id,
  };
}

function projectList(id, list, names, c) {
  return section(id, t('chg.' + id, num(list.length)), list.length
    ? h('ul', {class: 'plain-list chg-list'}, list.map((x) => h('li', {dataset: {id: x.id}},
      h('a', {href: href('projects', {q: x.id, as_of: ''})}, names.name(x.id)), ' ',
      h('span', {class: 'muted small'}, `${x.before ? projectStatusLabel(x.before) : t('chg.absent')} → ${projectStatusLabel(x.after)}`))))
    : h('p', {class: 'muted small'}, t('chg.none')));
}

// recordSummary counts the records added, changed and removed by kind.
function recordSummary(records) {
  if (!records.length) {
    return h('p', {class: 'muted small'}, t('chg.none'));
  }
  const by = new Map();
  for (const r of records) {
    const k = r.kind + '\u0000' + r.change;
    by.set(k, (by.get(k) || 0) + 1);
  }
  return h('ul', {class: 'plain-list chg-records'}, [...by.entries()].map(([k, n]) => {
    const [kind, change] = k.split('\u0000');
    return h('li', {dataset: {kind, change}}, t('chg.recordLine', t('hist.change.' + change), t('sum.kind.' + kind), num(n)));
  }));
}

function section(id, title, body) {
  return h('section', {class: 'card', id: 'chg-' + id}, h('div', {class: 'card-head'}, h('h2', null, title)), body);
}

function kpi(id, label, n) {
  return h('div', {class: 'kpi', id}, h('div', {class: 'kpi-label'}, label), h('div', {class: 'kpi-value'}, num(n)));
}

// pickers choose each end as a revision or a date.
function pickers(revs, from, to) {
  const end = (name, value) => {
    const sel = h('select', {class: 'select', name: name + '_rev', id: 'chg-' + name + '-rev'},
      revs.revisions.map((r) => h('option', {value: String(r.rev)}, t('asof.option', num(r.rev), beijingTime(r.at), summaryText(r.summary).slice(0, 40)))));
    const date = h('input', {class: 'input', type: 'date', name: name + '_date', id: 'chg-' + name + '-date'});
    if (DAY.test(value)) {
      date.value = value;
    } else {
      sel.value = value;
    }
    date.addEventListener('input', () => {
      if (date.value) {
        sel.selectedIndex = -1;
      }
    });
    sel.addEventListener('change', () => {
      date.value = '';
    });
    return h('fieldset', {class: 'field chg-end'}, h('legend', null, t('chg.' + name)), sel, h('span', {class: 'muted small'}, t('chg.orDate')), date);
  };
  const form = h('form', {class: 'chg-form card', id: 'chg-form'},
    end('from', from), end('to', to),
    h('div', {class: 'field field-actions'}, h('button', {type: 'submit', class: 'btn btn-primary'}, t('chg.compare'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const d = Object.fromEntries(new FormData(form));
    navigate(href('changes', {from: d.from_date || d.from_rev, to: d.to_date || d.to_rev}));
  });
  return form;
}
