// cluster.js — 产业集群: the region as a county × chain matrix
// (GET /api/v1/cluster). Each cell's colour is the scope's completeness on
// a stepped scale (legend above the matrix); its text gives the counts and
// the investment; a click opens that panorama. Below, the supply flowing
// between counties along each chain. A switch colours the cells by
// closeness instead (接近度, ?color=closeness): the mean density (SPEC §11)
// of the segments the county lacks in the chain, on a scale of its own;
// a cell with nothing missing has none (null) and shows as not applicable.
// Above the matrix, the cluster map of one chain (mapCard, below).

import {h, add} from '../dom.js';
import {get, getText, token, asOf} from '../api.js';
import {t, lang, pct, num, yiNum} from '../i18n.js';
import {href, navigate, setParams} from '../router.js';
import {loadMeta} from '../meta.js';
import {saveBlob, svgBlob, pngBlob, fileName} from '../download.js';

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
  const matrix = matrixTable(cl, cells, meta, params);
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
    matrix.paint(measure);
  };
  paint();
  const colorSwitch = h('div', {class: 'field-inline'}, h('span', null, t('cluster.colorBy')),
    h('div', {class: 'btn-group seg-switch', id: 'cluster-color', role: 'group', 'aria-label': t('cluster.colorBy')}, buttons));

  const map = mapCard(cl, params, ctx);
  add(root,
    h('div', {class: 'page-head'},
      h('h1', null, t('cluster.title', meta.region.name)),
      h('p', {class: 'page-sub'}, t('cluster.sub'))),
    map.el,
    h('section', {class: 'card'},
      h('div', {class: 'card-head'}, h('h2', null, t('cluster.matrix')), h('div', {class: 'toolbar'}, colorSwitch, legendBox)),
      note,
      matrix.tools,
      matrix.el),
    flowsCard(cl, meta, ctx));
  await map.ready;
}

// matrixTable is the county × chain matrix: its header row and first
// column stay in view while it scrolls (a province has over a hundred
// counties), a click on a column head sorts the rows by that column (the
// county column by code, a chain by the cell's figure: completeness or
// closeness, whichever colours the cells; again reverses), and a box
// filters the counties by name or code. A row is built once per colouring
// when it first comes into view; sorting and filtering only choose and
// move rows. Sort and filter are kept in the address (sort, dir, q).
function matrixTable(cl, cells, meta, params) {
  let measure = 'completeness';
  let sort = params.get('sort') && (params.get('sort') === 'area' || cl.chains.includes(params.get('sort'))) ? params.get('sort') : 'area';
  let dir = params.get('dir') === 'desc' || params.get('dir') === 'asc' ? params.get('dir') : (sort === 'area' ? 'asc' : 'desc');
  let query = (params.get('q') || '').trim();

  const heads = [{key: 'area', label: t('cluster.corner')}, ...cl.chains.map((id, j) => ({key: id, label: cl.chain_names[j]}))];
  const arrows = new Map();
  const ths = heads.map(({key, label}) => {
    const arrow = h('span', {class: 'sort-arrow', 'aria-hidden': 'true'});
    arrows.set(key, arrow);
    const b = h('button', {type: 'button', class: 'sort-link btn-link', dataset: {sort: key}, title: t('cluster.sortBy', label)}, label, arrow);
    b.addEventListener('click', () => {
      dir = sort === key ? (dir === 'asc' ? 'desc' : 'asc') : (key === 'area' ? 'asc' : 'desc');
      sort = key;
      setParams({sort: sort === 'area' ? '' : sort, dir: dir === (sort === 'area' ? 'asc' : 'desc') ? '' : dir});
      order();
    });
    if (key === 'area') {
      return h('th', {scope: 'col', class: 'matrix-corner', dataset: {sort: key}}, b);
    }
    return h('th', {scope: 'col', dataset: {sort: key}}, b,
      h('a', {href: href('panorama', {area: '*', chain: key}), class: 'matrix-pano', title: t('cluster.panoAll', label)}, t('cluster.pano')));
  });
  const tbody = h('tbody', null);
  const table = h('table', {class: 'table matrix', id: 'cluster-matrix'}, h('thead', null, h('tr', null, ths)), tbody);
  const filter = h('input', {type: 'search', id: 'cluster-filter', class: 'input', value: query,
    placeholder: t('cluster.filter'), 'aria-label': t('cluster.filter'), autocomplete: 'off'});
  const count = h('span', {class: 'card-note', id: 'cluster-count', role: 'status'});
  let timer = 0;
  filter.addEventListener('input', () => {
    clearTimeout(timer);
    // One pass per pause in typing, not per key.
    timer = setTimeout(() => {
      query = filter.value.trim();
      setParams({q: query});
      order();
    }, 120);
  });

  let rows = [];
  let shown = []; // the rows the filter keeps, in the sorted order
  // value is what a chain column sorts by: the figure the cells show;
  // none (an empty cell, a closeness that does not apply) sorts last.
  const value = (area, chain) => {
    const c = cells.get(area + '\u0000' + chain);
    if (!c) {
      return null;
    }
    if (measure === 'closeness') {
      return typeof c.closeness === 'number' ? c.closeness : null;
    }
    return c.nodes === 0 ? null : c.completeness;
  };
  // rowEl is a row's element, built when it first comes into view.
  const rowEl = (r) => r.tr || (r.tr = h('tr', {dataset: {area: r.area}},
    h('th', {scope: 'row'}, h('a', {href: href('gaps', {area: r.area})}, r.name)),
    cl.chains.map((chain) => cell(cells.get(r.area + '\u0000' + chain), r.area, chain, r.name, meta, measure))));

  // Above VIRTUAL_ROWS rows (a province) only the rows in view, and a few
  // around them, are in the page; a spacer row above and one below stand
  // for the others, so the box scrolls as if all were there. Rows are of
  // one height (CSS .matrix.is-virtual), measured on the first.
  const wrap = h('div', {class: 'table-wrap matrix-wrap', id: 'matrix-wrap'}, table);
  const spacer = () => h('tr', {class: 'matrix-spacer', 'aria-hidden': 'true'}, h('td', {colspan: String(cl.chains.length + 1)}));
  const above = spacer();
  const below = spacer();
  let rowH = 0;
  const windowRows = () => {
    const virtual = shown.length > VIRTUAL_ROWS;
    table.classList.toggle('is-virtual', virtual);
    if (!virtual) {
      table.removeAttribute('aria-rowcount');
      tbody.replaceChildren(...shown.map((r) => {
        rowEl(r).removeAttribute('aria-rowindex');
        return r.tr;
      }));
      return;
    }
    // Assistive technology is told how many rows there are and where the
    // ones in the page stand (the header row is row 1).
    table.setAttribute('aria-rowcount', String(shown.length + 1));
    const rh = rowH || ROW_H;
    const y = Math.max(0, wrap.scrollTop - table.tHead.offsetHeight);
    const first = Math.max(0, Math.floor(y / rh) - OVERSCAN);
    const last = Math.min(shown.length, Math.ceil((y + (wrap.clientHeight || 720)) / rh) + OVERSCAN);
    above.firstChild.style.height = first * rh + 'px';
    below.firstChild.style.height = (shown.length - last) * rh + 'px';
    const rendered = shown.slice(first, last).map((r, i) => {
      rowEl(r).setAttribute('aria-rowindex', String(first + i + 2));
      return r.tr;
    });
    tbody.replaceChildren(above, ...rendered, below);
    // The first time the rows are in the page: measure one, and lay out
    // again if it is not the height assumed.
    if (!rowH && table.isConnected && rendered.length) {
      rowH = rendered[0].getBoundingClientRect().height || ROW_H;
      if (rowH !== rh) {
        windowRows();
      }
    }
  };
  let frame = 0;
  wrap.addEventListener('scroll', () => {
    if (!frame && shown.length > VIRTUAL_ROWS) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        windowRows();
      });
    }
  }, {passive: true});

  const order = () => {
    for (const [key, arrow] of arrows) {
      arrow.textContent = key === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : '';
    }
    for (const th of ths) {
      th.setAttribute('aria-sort', th.dataset.sort === sort ? (dir === 'asc' ? 'ascending' : 'descending') : 'none');
    }
    const sign = dir === 'asc' ? 1 : -1;
    const sorted = [...rows];
    if (sort === 'area') {
      if (sign < 0) {
        sorted.reverse();
      }
    } else {
      sorted.sort((a, b) => {
        const x = value(a.area, sort);
        const y = value(b.area, sort);
        if (x === null || y === null) {
          return x === y ? a.index - b.index : x === null ? 1 : -1;
        }
        return sign * (x - y) || a.index - b.index;
      });
    }
    const q = query.toLowerCase();
    shown = q ? sorted.filter((r) => r.name.toLowerCase().includes(q) || r.area.includes(q)) : sorted;
    windowRows();
    count.textContent = q ? t('cluster.shown', num(shown.length), num(rows.length)) : t('cluster.counties', num(rows.length));
    table.dataset.sort = sort;
    table.dataset.dir = dir;
  };
  const paint = (m) => {
    measure = m;
    table.dataset.measure = measure;
    rows = cl.areas.map((area, i) => ({area, name: cl.area_names[i], index: i, tr: null}));
    order();
  };
  return {
    el: wrap,
    tools: h('div', {class: 'matrix-tools'}, filter, count),
    paint,
  };
}

// VIRTUAL_ROWS is how many rows the matrix shows whole; above it (a
// province's counties) only those in view, OVERSCAN more on either side.
const VIRTUAL_ROWS = 60;
const OVERSCAN = 6;
// ROW_H is the height of a row then (app.css .matrix.is-virtual), until
// the first row in the page is measured.
const ROW_H = 78;

// FLOWS_SHOWN is how many flows the card lists at first and adds per
// click of 更多: the first ones come with /cluster, the rest page by page
// from /cluster/flows (a province has tens of thousands).
const FLOWS_SHOWN = 20;

// flowsCard lists the cross-county flows, the most links first, of every
// chain or the one chosen, with the total.
function flowsCard(cl, meta, ctx) {
  const body = h('tbody', null);
  const more = h('button', {type: 'button', class: 'btn', id: 'flows-more'}, t('cluster.more'));
  const total = h('span', {class: 'card-note', id: 'flows-total'});
  const chainSel = h('select', {id: 'flows-chain', class: 'select', 'aria-label': t('cluster.col.chain')},
    h('option', {value: ''}, t('cluster.allChains')),
    cl.chains.map((id, j) => h('option', {value: id}, cl.chain_names[j])));
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true});
  let chain = '';
  let shown = [];
  let count = cl.flows_total;
  let seq = 0;
  const row = (f) => h('tr', {dataset: {chain: f.chain, from: f.from, to: f.to}},
    h('td', null, h('a', {href: href('panorama', {area: '*', chain: f.chain})}, meta.chainName(f.chain))),
    h('td', null, h('a', {href: href('panorama', {area: f.from, chain: f.chain})}, meta.areaName(f.from))),
    h('td', {class: 'arrow'}, '→'),
    h('td', null, h('a', {href: href('panorama', {area: f.to, chain: f.chain})}, meta.areaName(f.to))),
    h('td', {class: 'num'}, num(f.links)),
    h('td', {class: 'num'}, f.investment_wan ? yiNum(f.investment_wan) : '—'));
  const paintState = () => {
    more.hidden = shown.length >= count;
    total.textContent = t('cluster.flowsShown', num(shown.length), num(count));
  };
  const load = async (reset) => {
    const mine = ++seq;
    more.disabled = true;
    try {
      const page = await get('/cluster/flows', {chain, offset: reset ? 0 : shown.length, limit: reset ? FLOWS_SHOWN : FLOWS_SHOWN * 5}, ctx.signal);
      if (mine !== seq || ctx.stale()) {
        return;
      }
      error.hidden = true;
      count = page.total;
      if (reset) {
        shown = page.items;
        body.replaceChildren(...page.items.map(row));
      } else {
        shown = shown.concat(page.items);
        body.append(...page.items.map(row));
      }
    } catch (err) {
      if (err.name === 'AbortError' || mine !== seq) {
        return;
      }
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      if (mine === seq) {
        more.disabled = false;
        paintState();
      }
    }
  };
  more.addEventListener('click', () => load(false));
  chainSel.addEventListener('change', () => {
    chain = chainSel.value;
    load(true);
  });
  shown = cl.flows.slice(0, FLOWS_SHOWN);
  body.replaceChildren(...shown.map(row));
  paintState();
  return h('section', {class: 'card', id: 'flows-card'},
    h('div', {class: 'card-head'}, h('h2', null, t('cluster.flows')),
      h('div', {class: 'toolbar'}, h('span', {class: 'card-note'}, t('cluster.flowsNote')), chainSel)),
    count
      ? [h('div', {class: 'table-wrap'}, h('table', {class: 'table', id: 'flows-table'},
        h('thead', null, h('tr', null,
          h('th', {scope: 'col'}, t('cluster.col.chain')),
          h('th', {scope: 'col'}, t('cluster.col.from')),
          h('th', {scope: 'col'}),
          h('th', {scope: 'col'}, t('cluster.col.to')),
          h('th', {scope: 'col', class: 'num'}, t('cluster.col.links')),
          h('th', {scope: 'col', class: 'num'}, t('cluster.col.investment')))),
        body)), error, h('div', {class: 'flows-foot'}, total, more)]
      : h('p', {class: 'muted'}, t('cluster.noFlows')));
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

// ---- 产业集群分布图: the cluster map above the matrix ----
//
// The picture is the server's (GET /api/v1/map.svg, the same bytes
// `chainscope map` writes for a briefing): the counties filled by a metric
// of one chain, the chain's cross-county flows as arrows, zones as dots.
// The page adds a chain selector, the metric switch, hover and click per
// county (a click opens that county's panorama of the chain, a zone's dot
// the zone's) and the SVG/PNG downloads. A region without county
// boundaries shows how to add them (and, for an editor, an upload).

const METRICS = ['completeness', 'investment', 'relatedness'];

function metricLabel(m) {
  switch (m) {
    case 'investment':
      return t('cluster.map.metric.investment');
    case 'relatedness':
      return t('cluster.map.metric.relatedness');
  }
  return t('cluster.map.metric.completeness');
}

// The stroke of a county under the pointer (the app's accent colour).
const HOVER = '#1d4ed8';

// mapCard builds the map's card for the cluster answer cl; ready resolves
// once the first picture (or the note that there is none) is in place.
function mapCard(cl, params, ctx) {
  let chain = cl.chains.includes(params.get('chain')) ? params.get('chain') : cl.chains[0];
  let metric = METRICS.includes(params.get('metric')) ? params.get('metric') : 'completeness';
  const canvas = h('div', {id: 'cluster-map', class: 'map-canvas'});
  const info = h('p', {class: 'card-note', id: 'map-info'}, t('cluster.map.hint'));
  const chainSel = h('select', {id: 'map-chain', class: 'select', 'aria-label': t('cluster.map.chain')},
    cl.chains.map((id, j) => h('option', {value: id}, cl.chain_names[j])));
  chainSel.value = chain || '';
  const buttons = METRICS.map((m) => {
    const b = h('button', {type: 'button', class: 'btn btn-small', dataset: {metric: m}}, metricLabel(m));
    b.addEventListener('click', () => {
      metric = m;
      setParams({metric: m === 'completeness' ? '' : m});
      load();
    });
    return b;
  });
  const dlSvg = h('button', {type: 'button', class: 'btn', id: 'map-download-svg', disabled: true}, t('cluster.map.downloadSvg'));
  const dlPng = h('button', {type: 'button', class: 'btn', id: 'map-download-png', disabled: true}, t('cluster.map.downloadPng'));
  let text = '';
  const parts = () => ['chainscope', 'map', chain, metric, lang(), asOf() ? 'asof-' + asOf() : ''];
  dlSvg.addEventListener('click', () => saveBlob(svgBlob(text), fileName(parts(), 'svg')));
  dlPng.addEventListener('click', async () => {
    dlPng.disabled = true;
    try {
      saveBlob(await pngBlob(text), fileName(parts(), 'png'));
    } catch (err) {
      info.textContent = err.message;
    } finally {
      dlPng.disabled = false;
    }
  });
  chainSel.addEventListener('change', () => {
    chain = chainSel.value;
    setParams({chain});
    load();
  });
  const tools = h('div', {class: 'toolbar'},
    h('label', {class: 'field-inline'}, h('span', null, t('cluster.map.chain')), chainSel),
    h('div', {class: 'btn-group seg-switch', id: 'map-metric', role: 'group', 'aria-label': t('cluster.map.metric')}, buttons),
    h('div', {class: 'btn-group', role: 'group'}, dlSvg, dlPng));
  const card = h('section', {class: 'card', id: 'map-card'},
    h('div', {class: 'card-head'}, h('h2', null, t('cluster.map.title')), tools),
    info, canvas);

  let seq = 0;
  const load = async () => {
    const mine = ++seq;
    for (const b of buttons) {
      const on = b.dataset.metric === metric;
      b.classList.toggle('is-on', on);
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    dlSvg.disabled = true;
    dlPng.disabled = true;
    card.dataset.state = 'loading';
    if (!chain) {
      canvas.replaceChildren(h('p', {class: 'muted'}, t('cluster.map.noChain')));
      card.dataset.state = 'none';
      return;
    }
    let got;
    try {
      const {counties} = await get('/boundaries', null, ctx.signal);
      if (mine !== seq || ctx.stale()) {
        return;
      }
      if (!counties.length) {
        // No boundaries: the matrix stands alone, and the card says how
        // to add them.
        tools.hidden = true;
        info.hidden = true;
        canvas.replaceChildren(noBoundaries(() => {
          tools.hidden = false;
          info.hidden = false;
          load();
        }));
        card.dataset.state = 'none';
        return;
      }
      got = await getText('/map.svg', {chain, metric: metric === 'completeness' ? '' : metric, lang: lang() === 'en' ? 'en' : ''}, ctx.signal);
    } catch (err) {
      if (err.name === 'AbortError' || mine !== seq || ctx.stale()) {
        return;
      }
      canvas.replaceChildren(h('p', {class: 'form-error', role: 'alert'}, err.message));
      card.dataset.state = 'error';
      return;
    }
    if (mine !== seq || ctx.stale()) {
      return;
    }
    text = got;
    canvas.replaceChildren(importMap(text, chain, info));
    dlSvg.disabled = false;
    dlPng.disabled = false;
    card.dataset.state = 'done';
  };
  return {el: card, ready: load()};
}

// importMap parses the served SVG and imports it (no markup parsed as
// HTML, no script in the renderer's subset), then makes its counties and
// zones answer the pointer: hover outlines a county and shows its figures
// (the picture's own tooltip), a click opens its panorama of the chain.
function importMap(text, chain, info) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) {
    return h('p', {class: 'form-error'}, t('pano.badSvg'));
  }
  const el = document.importNode(root, true);
  el.id = 'cluster-map-svg';
  el.setAttribute('width', '100%');
  el.removeAttribute('height');
  el.style.display = 'block';
  el.style.maxWidth = root.getAttribute('width') + 'px';
  el.style.height = 'auto';
  // Names and arrows let the pointer through to the county beneath.
  for (const id of ['labels', 'flows']) {
    const g = el.querySelector('#' + id);
    if (g) {
      g.setAttribute('pointer-events', 'none');
    }
  }
  const hint = info.textContent;
  for (const shape of el.querySelectorAll('path[id^="county-"], circle[id^="zone-"]')) {
    const zone = shape.id.startsWith('zone-');
    const area = shape.id.slice(zone ? 5 : 7);
    const title = shape.querySelector('title');
    const tip = title ? title.textContent.split('\n').join(' · ') : area;
    const stroke = shape.getAttribute('stroke');
    const width = shape.getAttribute('stroke-width');
    shape.style.cursor = 'pointer';
    shape.setAttribute('tabindex', '0');
    shape.setAttribute('role', 'link');
    shape.setAttribute('aria-label', tip);
    const on = () => {
      shape.setAttribute('stroke', HOVER);
      shape.setAttribute('stroke-width', '2.4');
      info.textContent = tip;
    };
    const off = () => {
      shape.setAttribute('stroke', stroke);
      shape.setAttribute('stroke-width', width);
      info.textContent = hint;
    };
    const go = () => navigate(href('panorama', {area, chain}));
    shape.addEventListener('mouseenter', on);
    shape.addEventListener('mouseleave', off);
    shape.addEventListener('focus', on);
    shape.addEventListener('blur', off);
    shape.addEventListener('click', go);
    shape.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        go();
      }
    });
  }
  return el;
}

// noBoundaries says the region has no county boundaries and how to add
// them; an editor may upload a GeoJSON file here (PUT /api/v1/boundaries).
function noBoundaries(done) {
  const box = h('div', {id: 'map-none', class: 'map-none'},
    h('p', null, t('cluster.map.none')),
    h('p', {class: 'muted'}, t('cluster.map.noneHow')),
    h('pre', {class: 'code'}, 'chainscope import-boundaries --db chainscope.db counties.geojson'));
  if (!token() || asOf()) {
    return box;
  }
  const input = h('input', {type: 'file', id: 'boundaries-file', accept: '.geojson,.json,application/geo+json,application/json'});
  const msg = h('div', {id: 'boundaries-msg', role: 'status'});
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (!file) {
      return;
    }
    msg.replaceChildren(t('cluster.map.uploading'));
    try {
      const res = await fetch('/api/v1/boundaries', {method: 'PUT', body: file, credentials: 'same-origin',
        headers: {'Content-Type': 'application/geo+json', Accept: 'application/json', Authorization: 'Bearer ' + token(),
          'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN',
          'Content-Disposition': 'attachment; filename="' + encodeURIComponent(file.name) + '"'}});
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        msg.replaceChildren(h('p', {class: 'form-error', role: 'alert'}, body.error || res.statusText),
          h('ul', {class: 'problems'}, (body.problems || []).map((p) => h('li', null, p.message))));
        return;
      }
      msg.replaceChildren(t('cluster.map.uploaded', (body.counties || []).length));
      done();
    } catch (err) {
      msg.replaceChildren(h('p', {class: 'form-error', role: 'alert'}, err.message));
    }
  });
  box.append(h('label', {class: 'field-inline'}, h('span', null, t('cluster.map.upload')), input), msg);
  return box;
}
