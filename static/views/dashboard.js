// dashboard.js — 总览: the lead figures of the investment drive
// (GET /api/v1/dashboard): signed projects, investment against the annual
// target, the share of strategic emerging industries, the start rate; then
// every county and every chain, as bar charts and tables.

import {h, add} from '../dom.js';
import {loadPeriod, periodSection} from './periods.js';
import {get} from '../api.js';
import {t, yi, yiNum, pct, num, regionOwnLabel} from '../i18n.js';
import {href} from '../router.js';
import {barChart, meter} from '../chart.js';
import {loadMeta} from '../meta.js';

// TOP_BARS is how many counties the bar chart draws one by one; the rest
// share one bar (其他 N 个县区), and the table below lists every one.
const TOP_BARS = 20;

export async function render(root, params, ctx) {
  const [d, meta, period] = await Promise.all([get('/dashboard', null, ctx.signal), loadMeta(), loadPeriod(params, ctx.signal)]);
  const r = d.region;
  // The projects of no county (市本级 / 省本级, contract item 5) are a row
  // of their own, so the rows add up to the region's figures.
  const own = d.region_level ? {...d.region_level, name: `${d.region_level.name} · ${regionOwnLabel(meta.region)}`, own: true} : null;
  const countyRows = own ? [...d.counties, own] : d.counties;

  add(root,
    h('div', {class: 'page-head'},
      h('h1', null, t('dash.title', meta.region.name)),
      h('p', {class: 'page-sub'}, t('dash.sub'))),
    kpis(r),
    periodSection(period, params),
    h('div', {class: 'grid-2'},
      card(t('dash.byCounty'), barChart(countyBars(countyRows),
        {format: (v) => yiNum(v), ariaLabel: t('dash.byCounty'), labelWidth: 132}), t('dash.unitYi')),
      card(t('dash.byChain'), barChart(
        [...d.chains].sort((a, b) => b.investment_wan - a.investment_wan).map((c) => ({
          label: c.name, value: c.investment_wan, href: href('panorama', {area: '*', chain: c.chain}),
          title: `${c.name}: ${yi(c.investment_wan)} · ${t('dash.signed')} ${c.signed}`,
        })),
        {format: (v) => yiNum(v), ariaLabel: t('dash.byChain')}), t('dash.unitYi'))),
    card(t('dash.countyTable'), figuresTable(countyRows, 'dash-county-table',
      (c) => (c.own ? h('a', {href: href('projects', {county: meta.region.code})}, c.name) : h('a', {href: href('gaps', {area: c.area})}, c.name)),
      t('dash.county')),
    own ? t('dash.regionLevelNote', regionOwnLabel(meta.region)) + t('sep.list') + t('dash.countyHint') : t('dash.countyHint')),
    card(t('dash.chainTable'), figuresTable(d.chains, 'dash-chain-table', (c) => h('a', {href: href('panorama', {area: '*', chain: c.chain})}, c.name), t('dash.chain')),
      t('dash.chainHint')),
    h('p', {class: 'footnote'}, t('dash.startRateNote')));
}

// countyBars are the bars of the county chart, largest first: the first
// TOP_BARS one by one, the rest summed in one bar.
function countyBars(rows) {
  const sorted = [...rows].sort((a, b) => b.investment_wan - a.investment_wan);
  const bar = (c) => ({
    label: c.name, value: c.investment_wan, href: c.own ? null : href('gaps', {area: c.area}),
    title: `${c.name}: ${yi(c.investment_wan)} · ${t('dash.signed')} ${c.signed}`,
  });
  if (sorted.length <= TOP_BARS + 1) {
    return sorted.map(bar);
  }
  const rest = sorted.slice(TOP_BARS);
  const sum = rest.reduce((acc, c) => acc + c.investment_wan, 0);
  return [...sorted.slice(0, TOP_BARS).map(bar),
    {label: t('dash.others', num(rest.length)), value: sum, title: t('dash.othersTitle', num(rest.length), yi(sum)), others: true}];
}

function card(title, body, note) {
  return h('section', {class: 'card'},
    h('div', {class: 'card-head'}, h('h2', null, title), note ? h('span', {class: 'card-note'}, note) : null),
    body);
}

function kpi(id, label, value, sub, extra) {
  return h('div', {class: 'kpi', id},
    h('div', {class: 'kpi-label'}, label),
    h('div', {class: 'kpi-value'}, value),
    extra || null,
    h('div', {class: 'kpi-sub'}, sub));
}

function kpis(r) {
  return h('section', {class: 'kpis', 'aria-label': t('dash.kpis')},
    kpi('kpi-signed', t('dash.signed'), h('span', null, num(r.signed), h('small', null, t('unit.projects'))),
      t('dash.signedSub', num(r.projects), num(r.cancelled))),
    kpi('kpi-investment', t('dash.investment'), yi(r.investment_wan),
      // No target known (target_wan 0): no percentage anywhere.
      r.target_wan > 0 ? t('dash.targetSub', pct(r.target_share), yi(r.target_wan)) : t('dash.noTarget'),
      r.target_wan > 0 ? meter(r.target_share, {label: pct(r.target_share)}) : null),
    kpi('kpi-emerging', t('dash.emerging'), h('span', null, num(r.emerging), h('small', null, t('unit.projects'))),
      t('dash.emergingSub', pct(r.emerging_share)), meter(r.emerging_share, {label: pct(r.emerging_share)})),
    kpi('kpi-start', t('dash.startRate'), pct(r.start_rate),
      t('dash.startSub', num(r.started), num(r.started_same_year)), meter(r.start_rate, {label: pct(r.start_rate)})),
    kpi('kpi-status', t('dash.pipeline'), h('span', null, num(r.operating), h('small', null, t('unit.projects'))),
      t('dash.pipelineSub', num(r.started - r.operating), num(r.stalled))));
}

// figuresTable lists Figures rows with an inline bar for investment.
function figuresTable(rows, id, nameCell, firstHeader) {
  const max = Math.max(0, ...rows.map((r) => r.investment_wan));
  const head = [firstHeader, t('dash.col.signed'), t('dash.col.investment'), t('dash.col.emerging'),
    t('dash.col.startRate'), t('dash.col.operating'), t('dash.col.stalled')];
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table table-middle', id},
    h('thead', null, h('tr', null, head.map((c, i) => h('th', {class: i > 0 ? 'num' : null, scope: 'col'}, c)))),
    h('tbody', null, rows.map((r) => h('tr', {class: [r.signed === 0 ? 'is-muted' : null, r.own ? 'dash-region-row' : null], dataset: {area: r.area}},
      h('th', {scope: 'row'}, nameCell(r)),
      h('td', {class: 'num'}, num(r.signed)),
      h('td', {class: 'num bar-cell'}, h('span', {class: 'bar-cell-inner'},
        meter(max > 0 ? r.investment_wan / max : 0, {width: 100, height: 6}),
        h('span', {class: 'bar-cell-value'}, yiNum(r.investment_wan)))),
      h('td', {class: 'num'}, r.signed ? pct(r.emerging_share, 1) : '—'),
      h('td', {class: 'num'}, r.signed ? pct(r.start_rate, 1) : '—'),
      h('td', {class: 'num'}, num(r.operating)),
      h('td', {class: 'num'}, num(r.stalled)))))));
}
