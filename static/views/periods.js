// periods.js — the dashboard's 分期 section (GET /api/v1/periods): the
// figures of a month, a quarter or the year to date by the records' own
// dates (SPEC §8), each with its change against the previous period
// (签约 +12 个, +85.20 亿元, 开工率 +3.1 个百分点); where a report record
// covers the period, its figures (上报口径) beside the ledger's (台账口径)
// with the report's source; and the counties ranked by each figure with
// their change (晾晒), sortable by any figure.
//
// The choice lives in the address: ?pkind=month|quarter|ytd&period=YYYY-MM
// (default: the year to date up to the month of the latest signing).

import {h, replace} from '../dom.js';
import {get} from '../api.js';
import {t, num, yi, yiNum, pct, lang} from '../i18n.js';
import {href, navigate, setParams} from '../router.js';

const KINDS = ['month', 'quarter', 'ytd'];
const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
// FIGURES are the figures of the 晾晒 table, as graph.RankedFigures names them.
const FIGURES = ['signed', 'investment_wan', 'started', 'start_rate', 'emerging'];

// loadPeriod reads the period the address names, or the default one.
export async function loadPeriod(params, signal) {
  const kind = KINDS.includes(params.get('pkind')) ? params.get('pkind') : 'ytd';
  let month = MONTH.test(params.get('period') || '') ? params.get('period') : '';
  if (!month) {
    const latest = await get('/projects', {sort: 'signed', dir: 'desc', per_page: 20}, signal);
    const signed = latest.items.map((p) => p.signed).filter(Boolean).sort().pop();
    month = signed ? signed.slice(0, 7) : new Date().toISOString().slice(0, 7);
  }
  const d = await get('/periods', {kind, period: month}, signal);
  return {kind, month, d};
}

// signed writes a change with its sign: +12, −3, ±0.
function signed(n, text) {
  const s = n > 0 ? '+' : n < 0 ? '−' : '±';
  return s + text(Math.abs(n));
}

// changeText writes the change of one figure in words.
export function changeText(figure, v) {
  switch (figure) {
    case 'investment_wan':
      return signed(v, (x) => yi(x));
    case 'start_rate':
    case 'emerging_share':
    case 'target_share':
      return t('per.points', signed(Math.round(v * 10) / 10, (x) => x.toFixed(1)));
    default:
      return signed(v, (x) => num(x)) + t('unit.projects');
  }
}

function deltaClass(v) {
  return v > 0 ? 'delta-up' : v < 0 ? 'delta-down' : 'muted';
}

// valueText writes a figure's value.
function valueText(figure, v) {
  switch (figure) {
    case 'investment_wan':
      return yiNum(v);
    case 'start_rate':
      return pct(v, 1);
    default:
      return num(v);
  }
}

function kpi(id, label, value, change, figure) {
  return h('div', {class: 'kpi', id},
    h('div', {class: 'kpi-label'}, label),
    h('div', {class: 'kpi-value'}, value),
    h('div', {class: ['kpi-sub', deltaClass(change)], dataset: {change: String(change)}}, t('per.vsPrev'), ' ', changeText(figure, change)));
}

export function periodSection({kind, month, d}, params) {
  const f = d.figures;
  const c = d.change;
  const kindSel = h('select', {class: 'select', name: 'pkind', id: 'per-kind'}, KINDS.map((k) => h('option', {value: k}, t('per.kind.' + k))));
  kindSel.value = kind;
  const monthIn = h('input', {class: 'input', type: 'month', name: 'period', id: 'per-month', value: month});
  const form = h('form', {class: 'period-bar', id: 'per-form'},
    h('label', {class: 'field'}, h('span', null, t('per.kind')), kindSel),
    h('label', {class: 'field'}, h('span', null, t('per.month')), monthIn),
    h('button', {type: 'submit', class: 'btn btn-primary'}, t('ledger.apply')),
    h('a', {class: 'btn', id: 'per-funnel', href: href('funnel', {from: d.from, to: d.to})}, t('per.funnel')),
    // the print-ready 月度通报 of the month (a server page, not a view)
    h('a', {class: 'btn', id: 'per-report', target: '_blank', rel: 'noopener',
      href: '/report?' + new URLSearchParams({area: '*', period: month, lang: lang()}).toString()}, t('per.report')));
  const go = () => {
    const rest = Object.fromEntries(params);
    navigate(href('dashboard', {...rest, pkind: kindSel.value, period: monthIn.value}));
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go();
  });
  kindSel.addEventListener('change', go);
  const title = t('per.title', periodName(kind, month, d));
  return h('section', {class: 'card', id: 'period'},
    h('div', {class: 'card-head'}, h('h2', {id: 'per-title'}, title),
      h('span', {class: 'card-note', id: 'per-bounds'}, t('per.bounds', d.from, d.to, d.prev_from, d.prev_to))),
    form,
    h('div', {class: 'kpis', id: 'per-kpis'},
      kpi('per-signed', t('dash.signed'), h('span', null, num(f.signed), h('small', null, t('unit.projects'))), c.signed, 'signed'),
      kpi('per-investment', t('dash.investment'), yi(f.investment_wan), c.investment_wan, 'investment_wan'),
      kpi('per-started', t('per.started'), h('span', null, num(f.started), h('small', null, t('unit.projects'))), c.started, 'started'),
      kpi('per-start-rate', t('dash.startRate'), pct(f.start_rate, 1), c.start_rate_points, 'start_rate'),
      kpi('per-emerging', t('dash.emerging'), h('span', null, num(f.emerging), h('small', null, t('unit.projects'))), c.emerging, 'emerging')),
    d.report ? basis(d) : null,
    ranking(d, params));
}

// periodName names the period as reports do: 2024年1–4月, 2024年第2季度, 2024年4月.
function periodName(kind, month, d) {
  const y = month.slice(0, 4);
  const m = Number(month.slice(5, 7));
  if (kind === 'ytd') {
    return m === 1 ? t('per.name.month', y, m) : t('per.name.ytd', y, m);
  }
  if (kind === 'quarter') {
    return t('per.name.quarter', y, Math.floor((m - 1) / 3) + 1);
  }
  return t('per.name.month', y, m, d.from);
}

// basis sets the report's figures (上报口径) beside the ledger's (台账口径).
function basis(d) {
  const r = d.report;
  const f = d.figures;
  const opt = (v, fmt) => (v === undefined || v === null ? '—' : fmt(v));
  const rows = [
    [t('per.b.signed'), opt(r.signed_projects, (v) => num(v) + t('unit.projects')), num(f.signed) + t('unit.projects')],
    [t('per.b.investment'), opt(r.investment_wan, yi), yi(f.investment_wan)],
    [t('per.b.startRate'), r.start_rate === null || r.start_rate === undefined ? '—'
      : t('per.b.rateOf', pct(r.start_rate), num(r.started_projects), num(r.due_projects)),
    t('per.b.rateOf', pct(f.start_rate), num(f.started), num(f.signed))],
    [t('per.b.emerging'), opt(r.emerging_projects, (v) => num(v) + t('unit.projects')), num(f.emerging) + t('unit.projects')],
    [t('per.b.target'), r.target_share === null || r.target_share === undefined ? '—' : t('per.b.shareOf', pct(r.target_share), yi(r.target_wan)),
      f.target_wan > 0 ? t('per.b.shareOf', pct(f.target_share), yi(f.target_wan)) : '—'],
  ];
  return h('div', {class: 'basis-wrap', id: 'per-basis'},
    h('div', {class: 'table-wrap'}, h('table', {class: 'table table-middle basis-table'},
      h('thead', null, h('tr', null, h('th', {scope: 'col'}, ''), h('th', {scope: 'col', class: 'num'}, t('per.reported')), h('th', {scope: 'col', class: 'num'}, t('per.ledger')))),
      h('tbody', null, rows.map(([label, rep, led]) => h('tr', null,
        h('th', {scope: 'row'}, label), h('td', {class: 'num basis-report'}, rep), h('td', {class: 'num basis-ledger'}, led)))))),
    h('p', {class: 'footnote', id: 'per-source'}, t('per.source', r.source || '—'), ' ', t('per.basisNote')));
}

// ranking is the 晾晒 table: every county with each figure and its
// change, sorted by one figure (its rank shown), sortable by any.
function ranking(d, params) {
  const box = h('div', {class: 'table-wrap', id: 'per-ranking'});
  const ranks = new Map(d.rankings.map((r) => [r.figure, new Map(r.entries.map((e) => [e.area, e.rank]))]));
  const paint = (by) => {
    const rank = ranks.get(by) || new Map();
    const rows = [...d.counties].sort((a, b) => (rank.get(a.area) || 1e9) - (rank.get(b.area) || 1e9) || (a.area < b.area ? -1 : 1));
    const changeOf = (row, fig) => (fig === 'start_rate' ? row.change.start_rate_points : row.change[fig]);
    replace(box, h('table', {class: 'table table-middle ranking-table'},
      h('thead', null, h('tr', null,
        h('th', {scope: 'col', class: 'num'}, t('per.rank')),
        h('th', {scope: 'col'}, t('dash.county')),
        FIGURES.map((fig) => {
          const b = h('button', {type: 'button', class: 'sort-link btn-link', dataset: {sort: fig}}, t('per.fig.' + fig) + (fig === by ? ' ▼' : ''));
          b.addEventListener('click', () => {
            setParams({psort: fig});
            paint(fig);
          });
          return h('th', {scope: 'col', class: 'num', 'aria-sort': fig === by ? 'descending' : null}, b);
        }))),
      h('tbody', null, rows.map((row) => h('tr', {dataset: {area: row.area}},
        h('td', {class: 'num'}, num(rank.get(row.area) || 0)),
        h('th', {scope: 'row'}, h('a', {href: href('gaps', {area: row.area})}, row.name)),
        FIGURES.map((fig) => {
          const ch = changeOf(row, fig);
          return h('td', {class: 'num', dataset: {figure: fig}},
            valueText(fig, row.figures[fig]), h('div', {class: ['small', deltaClass(ch)]}, changeText(fig, ch)));
        }))))));
  };
  paint(FIGURES.includes(params.get('psort')) ? params.get('psort') : 'investment_wan');
  return h('div', null, h('h3', {class: 'ranking-title'}, t('per.ranking')), box);
}
