// cluster.js — 产业集群: the region as a county × chain matrix
// (GET /api/v1/cluster). Each cell's colour is the scope's completeness on
// a stepped scale (legend above the matrix); its text gives the counts and
// the investment; a click opens that panorama. Below, the supply flowing
// between counties along each chain.

import {h, add} from '../dom.js';
import {get} from '../api.js';
import {t, pct, num, yiNum} from '../i18n.js';
import {href} from '../router.js';
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

export async function render(root, params, ctx) {
  const [cl, meta] = await Promise.all([get('/cluster', null, ctx.signal), loadMeta()]);
  const cells = new Map(cl.cells.map((c) => [c.area + '\u0000' + c.chain, c]));

  const legend = h('div', {class: 'heat-legend', id: 'heat-legend', 'aria-label': t('cluster.legend')},
    h('span', {class: 'heat-legend-title'}, t('cluster.legend')),
    STEPS.slice(0, 5).map((s, i) => h('span', {class: 'heat-key'},
      h('span', {class: ['heat-swatch', 'heat-' + i]}), `${Math.round(s * 100)}–${Math.round(STEPS[i + 1] * 100)}%`)),
    h('span', {class: 'heat-key'}, h('span', {class: 'heat-swatch heat-5'}), '100%'),
    h('span', {class: 'heat-key'}, h('span', {class: 'heat-swatch heat-none'}), t('cluster.empty')));

  const table = h('table', {class: 'table matrix', id: 'cluster-matrix'},
    h('thead', null, h('tr', null,
      h('th', {scope: 'col', class: 'matrix-corner'}, t('cluster.corner')),
      cl.chains.map((id, j) => h('th', {scope: 'col'}, h('a', {href: href('panorama', {area: '*', chain: id})}, cl.chain_names[j]))))),
    h('tbody', null, cl.areas.map((area, i) => h('tr', null,
      h('th', {scope: 'row'}, h('a', {href: href('gaps', {area})}, cl.area_names[i])),
      cl.chains.map((chain) => cell(cells.get(area + '\u0000' + chain), area, chain, cl.area_names[i], meta))))));

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
      h('div', {class: 'card-head'}, h('h2', null, t('cluster.matrix')), legend),
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

// cell is one county × chain: completeness as colour, figures as text.
function cell(c, area, chain, areaName, meta) {
  if (!c) {
    return h('td', {class: 'matrix-cell heat-none'}, '—');
  }
  const empty = c.nodes === 0;
  const tip = [`${areaName} · ${meta.chainName(chain)}`,
    `${t('pano.completeness')} ${pct(c.completeness, 1)}`,
    `${t('status.missing')} ${c.missing} · ${t('status.broken')} ${c.broken} · ${t('status.weak')} ${c.weak}`,
    t('cluster.cellCounts', num(c.enterprises), num(c.projects))].join('\n');
  return h('td', {class: ['matrix-cell', empty ? 'heat-none' : 'heat-' + step(c.completeness)], dataset: {area, chain}},
    h('a', {href: href('panorama', {area, chain}), title: tip, class: 'matrix-link'},
      h('span', {class: 'matrix-pct'}, empty ? '—' : pct(c.completeness, 0)),
      empty ? null : h('span', {class: 'matrix-counts'}, t('cluster.cellCounts', num(c.enterprises), num(c.projects))),
      c.investment_wan > 0 ? h('span', {class: 'matrix-inv'}, t('cluster.cellInvest', yiNum(c.investment_wan))) : null));
}
