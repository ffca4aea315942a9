// funnel.js — 招商漏斗: how many leads reached each stage of the pipeline
// (GET /api/v1/funnel, SPEC §9) for an area, a chain and a period, drawn
// as a funnel of centred bars with each stage's count and its conversion
// rate from the stage before. Each bar links to the leads behind it (the
// answer's `leads` ids → the leads list showing just those).

import {h, svg, add} from '../dom.js';
import {get} from '../api.js';
import {t, num, pct, leadStageLabel, areaAllLabel, beijingDay} from '../i18n.js';
import {href, navigate} from '../router.js';
import {loadMeta} from '../meta.js';

export async function render(root, params, ctx) {
  const meta = await loadMeta();
  const q = {area: params.get('area') || '', chain: params.get('chain') || '', from: params.get('from') || '', to: params.get('to') || ''};
  const f = await get('/funnel', q, ctx.signal);
  const scope = [
    q.area ? meta.areaName(q.area) : areaAllLabel(meta.region),
    q.chain ? meta.chainName(q.chain) : t('funnel.allChains'),
    q.from || q.to ? t('funnel.period', q.from || '…', q.to || '…') : t('funnel.noPeriod'),
  ].join(' · ');
  add(root,
    h('div', {class: 'page-head page-head-row'},
      h('div', null,
        h('h1', null, t('funnel.title')),
        h('p', {class: 'page-sub'}, t('funnel.sub'))),
      h('div', {class: 'toolbar'}, h('a', {class: 'btn', href: href('leads', {area: q.area, chain: q.chain})}, t('funnel.toLeads')))),
    filterForm(meta, q),
    h('section', {class: 'card'},
      h('div', {class: 'card-head'}, h('h2', {id: 'funnel-scope'}, scope)),
      funnelChart(f.stages),
      h('p', {class: 'funnel-dropped', id: 'funnel-dropped'},
        t('funnel.dropped', num(f.dropped)), ' ',
        (f.dropped_leads || []).length ? h('a', {href: href('leads', {ids: f.dropped_leads.join(',')})}, t('funnel.showDropped')) : null),
      h('p', {class: 'footnote'}, t('funnel.note'))));
}

function filterForm(meta, q) {
  const select = (name, label, options) => {
    const s = h('select', {class: 'select', name}, options.map(([v, text]) => h('option', {value: v}, text)));
    s.value = q[name] || '';
    return h('label', {class: 'field'}, h('span', null, label), s);
  };
  const date = (name, label) => h('label', {class: 'field'}, h('span', null, label),
    h('input', {class: 'input', type: 'date', name, value: q[name] || ''}));
  const year = beijingDay(new Date().toISOString()).slice(0, 4);
  const form = h('form', {class: 'filters card', id: 'funnel-filters'},
    select('area', t('lead.col.county'), [['', areaAllLabel(meta.region)], ...meta.areaOptions().map((o) => [o.code, (o.zone ? '\u3000' : '') + o.name])]),
    select('chain', t('ledger.chain'), [['', t('all')], ...meta.chains.map((c) => [c.id, c.name])]),
    date('from', t('funnel.from')),
    date('to', t('funnel.to')),
    h('div', {class: 'field field-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('ledger.apply')),
      h('a', {class: 'btn', href: href('funnel', {area: q.area, chain: q.chain, from: year + '-01-01', to: beijingDay(new Date().toISOString())})}, t('funnel.ytd')),
      h('a', {class: 'btn', href: href('funnel', {area: q.area, chain: q.chain})}, t('funnel.allTime'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate(href('funnel', Object.fromEntries(new FormData(form))));
  });
  return form;
}

// funnelChart draws the stages top to bottom, each bar centred and as
// wide as its count against the widest, with the stage, the count and the
// rate from the stage before; a bar with leads links to them.
function funnelChart(stages) {
  const width = 720;
  const row = 44;
  const labelW = 120;
  const rateW = 150;
  const barMax = width - labelW - rateW;
  const mid = labelW + barMax / 2;
  const max = Math.max(1, ...stages.map((s) => s.count));
  const root = svg('svg', {class: 'funnel', id: 'funnel-chart', viewBox: `0 0 ${width} ${stages.length * row + 4}`, width: '100%',
    role: 'img', 'aria-label': t('funnel.title'), preserveAspectRatio: 'xMidYMin meet'});
  stages.forEach((s, i) => {
    const y = i * row + 2;
    const w = Math.max(s.count > 0 ? 4 : 0, (s.count / max) * barMax);
    const next = stages[i + 1];
    const wNext = next ? Math.max(next.count > 0 ? 4 : 0, (next.count / max) * barMax) : w;
    const rate = s.rate === null || s.rate === undefined ? '' : t('funnel.rate', pct(s.rate, 1));
    const ids = s.leads || [];
    const g = svg('g', {class: ['funnel-row', 'funnel-' + s.stage], dataset: {stage: s.stage, count: String(s.count)}},
      svg('title', null, `${leadStageLabel(s.stage)}: ${num(s.count)}${rate ? ' · ' + rate : ''}`),
      svg('text', {x: labelW - 12, y: y + row / 2 + 2, 'text-anchor': 'end', class: 'funnel-label'}, leadStageLabel(s.stage)),
      // the bar narrows toward the next stage, as a funnel does
      svg('path', {class: 'funnel-bar', d: `M${(mid - w / 2).toFixed(1)},${y + 6} L${(mid + w / 2).toFixed(1)},${y + 6} ` +
        `L${(mid + Math.max(wNext, 4) / 2).toFixed(1)},${y + row - 4} L${(mid - Math.max(wNext, 4) / 2).toFixed(1)},${y + row - 4} Z`}),
      // the count inside a wide bar, beside a narrow one
      w >= 64
        ? svg('text', {x: mid, y: y + row / 2 + 6, 'text-anchor': 'middle', class: 'funnel-count'}, num(s.count))
        : svg('text', {x: mid + Math.max(w, wNext) / 2 + 8, y: y + row / 2 + 6, class: 'funnel-count funnel-count-out'}, num(s.count)),
      svg('text', {x: labelW + barMax + 12, y: y + row / 2 + 2, class: 'funnel-rate'}, rate));
    if (ids.length) {
      root.appendChild(svg('a', {href: href('leads', {ids: ids.join(',')}), class: 'funnel-link', dataset: {stage: s.stage}}, g));
    } else {
      root.appendChild(g);
    }
  });
  return root;
}
