// cluster.js — 产业集群: the region as a county × chain matrix
// (GET /api/v1/cluster). Each cell's colour is the scope's completeness on
// a stepped scale (legend above the matrix); its text gives the counts and
// the investment; a click opens that panorama. Below, the supply flowing
// between counties along each chain. A switch colours the cells by
// closeness instead (接近度, ?color=closeness): the mean density (SPEC §11)
// of the segments the county lacks in the chain, on a scale of its own;
// a cell with nothing missing has none (null) and shows as not applicable.

import {h, add} from '../dom.js';
import {get} from '../api.js';
import {t, pct, num, yiNum} from '../i18n.js';
import {href, setParams} from '../router.js';
import {loadMeta} from '../meta.js';

// The colour steps of completeness; CSS classes heat-0 … heat-5 hold the
// colours, so the legend and the cells cannot disagree.
const STEPS = [0, 0.2, 0.4, 0.6, 0.8, 1];

function step(c) {
  if (c >= 1) {
    return 5;
  }
  return Math.max(0, STEPS.findIndex((s, i) => c >= s && c < STEPS[i + 1]));
}

// The steps of closeness in [0, 1]; CSS classes close-0 … close-5. The
// breaks are closer at the low end, where densities of one region's
// counties mostly lie (a county holds a small share of all segments), so
// the cells do not all wear the palest colour; the legend names them.
const CLOSE_STEPS = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1];

function closeStep(c) {
  for (let i = CLOSE_STEPS.length - 2; i > 0; i--) {
    if (c >= CLOSE_STEPS[i]) {
      return i;
    }
  }
  return 0;
}

export async function render(root, params, ctx) {
  const [cl, meta] = await Promise.all([get('/cluster', null, ctx.signal), loadMeta()]);
  const cells = new Map(cl.cells.map((c) => [c.area + '\u0000' + c.chain, c]));

  let measure = params.get('color') === 'closeness' ? 'closeness' : 'completeness';
  const legendBox = h('div', {class: 'legend-box'});
  const note = h('p', {class: 'cluster-note', id: 'closeness-note'}, t('cluster.closenessNote'));
  const tbody = h('tbody', null);
  const table = h('table', {class: 'table matrix', id: 'cluster-matrix'},
    h('thead', null, h('tr', null,
      h('th', {scope: 'col', class: 'matrix-corner'}, t('cluster.corner')),
      cl.chains.map((id, j) => h('th', {scope: 'col'}, h('a', {href: href('panorama', {area: '*', chain: id})}, cl.chain_names[j]))))),
    tbody);
  const buttons = ['completeness', 'closeness'].map((m) => {
    const b = h('button', {type: 'button', class: 'btn btn-small', dataset: {measure: m}},
      t(m === 'closeness' ? 'cluster.byCloseness' : 'cluster.byCompleteness'));
    b.addEventListener('click', () => {
      measure = m;
      setParams({color: m === 'closeness' ? m : ''});
      paint();
    });
    return b;
  });
  const paint = () => {
    for (const b of buttons) {
      const on = b.dataset.measure === measure;
      b.classList.toggle('is-on', on);
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    legendBox.replaceChildren(measure === 'closeness' ? closenessLegend() : completenessLegend());
    note.hidden = measure !== 'closeness';
    table.dataset.measure = measure;
    tbody.replaceChildren(...cl.areas.map((area, i) => h('tr', null,
      h('th', {scope: 'row'}, h('a', {href: href('gaps', {area})}, cl.area_names[i])),
      cl.chains.map((chain) => cell(cells.get(area + '\u0000' + chain), area, chain, cl.area_names[i], meta, measure)))));
  };
  paint();
  const colorSwitch = h('div', {class: 'field-inline'}, h('span', null, t('cluster.colorBy')),
    h('div', {class: 'btn-group seg-switch', id: 'cluster-color', role: 'group', 'aria-label': t('cluster.colorBy')}, buttons));

  const flows = [...cl.flows].sort((a, b) => b.links - a.links || b.investment_wan - a.investment_wan);
  const flowBody = h('tbody', null);
  const more = h('button', {type: 'button', class: 'btn', id: 'flows-more'});
  const LIMIT = 15;
  let all = false;
  const paintFlows = () => {
    const shown = all ? flows : flows.slice(0, LIMIT);
    flowBody.replaceChildren(...shown.map((f) => h('tr', null,
      h('td', null, h('a', {href: href('panorama', {area: '*', chain: f.chain})}, meta.chainName(f.chain))),
      h('td', null, h('a', {href: href('panorama', {area: f.from, chain: f.chain})}, meta.areaName(f.from))),
      h('td', {class: 'arrow'}, '→'),
      h('td', null, h('a', {href: href('panorama', {area: f.to, chain: f.chain})}, meta.areaName(f.to))),
      h('td', {class: 'num'}, num(f.links)),
      h('td', {class: 'num'}, f.investment_wan ? yiNum(f.investment_wan) : '—'))));
    more.hidden = flows.length <= LIMIT;
    more.textContent = all ? t('cluster.fewer') : t('cluster.all', num(flows.length));
  };
  more.addEventListener('click', () => {
    all = !all;
    paintFlows();
  });
  paintFlows();

  add(root,
    h('div', {class: 'page-head'},
      h('h1', null, t('cluster.title', meta.region.name)),
      h('p', {class: 'page-sub'}, t('cluster.sub'))),
    h('section', {class: 'card'},
      h('div', {class: 'card-head'}, h('h2', null, t('cluster.matrix')), h('div', {class: 'toolbar'}, colorSwitch, legendBox)),
      note,
      h('div', {class: 'table-wrap'}, table)),
    h('section', {class: 'card'},
      h('div', {class: 'card-head'}, h('h2', null, t('cluster.flows')), h('span', {class: 'card-note'}, t('cluster.flowsNote'))),
      flows.length
        ? h('div', {class: 'table-wrap'}, h('table', {class: 'table', id: 'flows-table'},
          h('thead', null, h('tr', null,
            h('th', {scope: 'col'}, t('cluster.col.chain')),
            h('th', {scope: 'col'}, t('cluster.col.from')),
            h('th', {scope: 'col'}),
            h('th', {scope: 'col'}, t('cluster.col.to')),
            h('th', {scope: 'col', class: 'num'}, t('cluster.col.links')),
            h('th', {scope: 'col', class: 'num'}, t('cluster.col.investment')))),
          flowBody), more)
        : h('p', {class: 'muted'}, t('cluster.noFlows'))));
}

// completenessLegend is the stepped scale of completeness.
function completenessLegend() {
  return h('div', {class: 'heat-legend', id: 'heat-legend', 'aria-label': t('cluster.legend')},
    h('span', {class: 'heat-legend-title'}, t('cluster.legend')),
    STEPS.slice(0, 5).map((s, i) => h('span', {class: 'heat-key'},
      h('span', {class: ['heat-swatch', 'heat-' + i]}), `${Math.round(s * 100)}–${Math.round(STEPS[i + 1] * 100)}%`)),
    h('span', {class: 'heat-key'}, h('span', {class: 'heat-swatch heat-5'}), '100%'),
    h('span', {class: 'heat-key'}, h('span', {class: 'heat-swatch heat-none'}), t('cluster.empty')));
}

// closenessLegend is the sequential scale of closeness, 0 to 1, with the
// mark of a cell it does not apply to.
function closenessLegend() {
  return h('div', {class: 'heat-legend', id: 'closeness-legend', 'aria-label': t('cluster.closenessLegend')},
    h('span', {class: 'heat-legend-title'}, t('cluster.closenessLegend')),
    h('span', {class: 'close-legend-scale'},
      h('span', {class: 'close-legend-bar'}, CLOSE_STEPS.slice(0, -1).map((s, i) => h('span', {
        class: ['heat-swatch', 'close-' + i], title: `${s}–${CLOSE_STEPS[i + 1]}`}))),
      h('span', {class: 'close-legend-ticks'}, CLOSE_STEPS.map((s) => h('span', null, String(s))))),
    h('span', {class: 'heat-key'}, h('span', {class: 'heat-swatch heat-none'}), t('cluster.naKey')));
}

// cell is one county × chain: completeness (or closeness) as colour,
// figures as text.
function cell(c, area, chain, areaName, meta, measure) {
  if (!c) {
    return h('td', {class: 'matrix-cell heat-none'}, '—');
  }
  const empty = c.nodes === 0;
  const hasClose = typeof c.closeness === 'number';
  const tip = [`${areaName} · ${meta.chainName(chain)}`,
    `${t('pano.completeness')} ${pct(c.completeness, 1)}`,
    t('cluster.closenessTip', hasClose ? c.closeness.toFixed(2) : t('cluster.na')),
    `${t('status.missing')} ${c.missing} · ${t('status.broken')} ${c.broken} · ${t('status.weak')} ${c.weak}`,
    t('cluster.cellCounts', num(c.enterprises), num(c.projects))].join('\n');
  if (measure === 'closeness') {
    return h('td', {class: ['matrix-cell', hasClose ? 'close-' + closeStep(c.closeness) : 'heat-none'],
      dataset: {area, chain, closeness: hasClose ? String(c.closeness) : ''}},
    h('a', {href: href('panorama', {area, chain}), title: tip, class: 'matrix-link'},
      h('span', {class: 'matrix-pct'}, hasClose ? c.closeness.toFixed(2) : t('cluster.na')),
      empty ? null : h('span', {class: 'matrix-counts'}, t('cluster.cellCounts', num(c.enterprises), num(c.projects)))));
  }
  return h('td', {class: ['matrix-cell', empty ? 'heat-none' : 'heat-' + step(c.completeness)], dataset: {area, chain}},
    h('a', {href: href('panorama', {area, chain}), title: tip, class: 'matrix-link'},
      h('span', {class: 'matrix-pct'}, empty ? '—' : pct(c.completeness, 0)),
      empty ? null : h('span', {class: 'matrix-counts'}, t('cluster.cellCounts', num(c.enterprises), num(c.projects))),
      c.investment_wan > 0 ? h('span', {class: 'matrix-inv'}, t('cluster.cellInvest', yiNum(c.investment_wan))) : null));
}
