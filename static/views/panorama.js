// panorama.js — 产业链全景: the chain panorama of one area and chain.
//
// The picture is the server's: GET /api/v1/export.svg, the same bytes a
// briefing uses, parsed as image/svg+xml and imported into the page. This
// module only adds interaction to it — click a node (node-<id>, alias-…)
// or a segment (seg-<id>) for a side panel, wheel and buttons to zoom and
// drag to pan by rewriting the viewBox — and shows the analysis JSON
// beside it as a list of segments with status badges. The downloads are
// the fetched SVG text itself and a PNG drawn from it.

import {h, svg, replace, clear, add} from '../dom.js';
import {get, getText, asOf, url as apiUrl} from '../api.js';
import {t, lang, pct, yi, num, stageLabel, areaAllLabel} from '../i18n.js';
import {href, navigate, setParams} from '../router.js';
import {loadMeta} from '../meta.js';
import {saveBlob, svgBlob, pngBlob, fileName} from '../download.js';
import {statusBadges, nodePanel, segmentPanel, linkPanel, Names} from './record.js';

// The view on screen; update() uses it to change the selection in place.
let live = null;

// resolveScope picks area and chain: from the address, else from the
// record the address names (a search hit), else the whole region and the
// first chain.
async function resolveScope(params, meta, signal) {
  let area = params.get('area');
  let chain = params.get('chain');
  const node = params.get('node');
  const seg = params.get('seg');
  if ((!area || !chain) && node) {
    const kind = params.get('kind') === 'project' ? 'project' : params.get('kind') === 'enterprise' ? 'enterprise' : '';
    const rec = await fetchRecord(node, kind, signal);
    if (rec) {
      area = area || meta.areaOf(rec.county);
      const first = (rec.segments || []).map((s) => meta.segment(s)).find(Boolean);
      chain = chain || (first && first.chain);
    }
  }
  if (!chain && seg && meta.segment(seg)) {
    chain = meta.segment(seg).chain;
  }
  area = area || '*';
  chain = chain || (meta.chains[0] && meta.chains[0].id);
  return {area, chain};
}

// fetchRecord loads an enterprise or project whose kind may be unknown
// (it then asks the search, which names the kind, instead of guessing
// and logging a 404).
async function fetchRecord(id, kind, signal) {
  if (!kind) {
    const res = await get('/search', {q: id, limit: 50}, signal);
    const hit = res.items.find((x) => x.id === id && (x.kind === 'enterprise' || x.kind === 'project'));
    if (!hit) {
      return null;
    }
    kind = hit.kind;
  }
  const v = await get(kind === 'project' ? `/projects/${encodeURIComponent(id)}` : `/enterprises/${encodeURIComponent(id)}`, null, signal);
  return kind === 'project' ? v.project : v.enterprise;
}

// fetchScope starts loading the picture (in the page's language) and the
// analysis of a scope, and returns the two promises: the picture (SPEC §6
// only) comes first, the analysis with its extras (project impact, leader
// dependency) may take longer the first time a large scope is asked for.
// (The catches only keep an early failure from counting as unhandled; the
// awaits still see it.)
function fetchScope(area, chain, signal) {
  const picture = getText('/export.svg', {area, chain, lang: lang() === 'en' ? 'en' : ''}, signal);
  const report = get('/analysis', {area, chain}, signal);
  picture.catch(() => {});
  report.catch(() => {});
  return {picture, report};
}

export async function render(root, params, ctx) {
  live = null;
  // A deep link names its scope: fetch it while the lookups load.
  const early = params.get('area') && params.get('chain') ? fetchScope(params.get('area'), params.get('chain'), ctx.signal) : null;
  const meta = await loadMeta();
  if (!meta.chains.length) {
    add(root, h('div', {class: 'alert'}, t('pano.noChains')));
    return;
  }
  const {area, chain} = await resolveScope(params, meta, ctx.signal);
  if (params.get('area') !== area || params.get('chain') !== chain) {
    setParams({area, chain});
  }
  const scope = {area, chain};

  // The page's frame first, so it shows while the picture loads.
  const canvas = h('div', {class: 'pano-canvas', id: 'pano-canvas', tabindex: '0', 'aria-label': t('pano.canvasLabel')},
    h('div', {class: 'loading'}, t('loading')));
  const panel = h('section', {class: 'panel', id: 'detail-panel', hidden: true, 'aria-live': 'polite'});
  const segList = h('section', {class: 'seg-list', id: 'seg-list'});
  const summary = h('div', {class: 'pano-summary', id: 'pano-summary'});
  const zoomOut = h('button', {type: 'button', class: 'btn btn-icon', id: 'zoom-out', title: t('pano.zoomOut'), 'aria-label': t('pano.zoomOut')}, '−');
  const zoomIn = h('button', {type: 'button', class: 'btn btn-icon', id: 'zoom-in', title: t('pano.zoomIn'), 'aria-label': t('pano.zoomIn')}, '+');
  const zoomFit = h('button', {type: 'button', class: 'btn', id: 'zoom-fit'}, t('pano.fit'));
  const dlSvg = h('button', {type: 'button', class: 'btn', id: 'download-svg', disabled: true}, t('pano.downloadSvg'));
  const dlPng = h('button', {type: 'button', class: 'btn', id: 'download-png', disabled: true}, t('pano.downloadPng'));

  add(root,
    h('div', {class: 'page-head page-head-row'},
      h('h1', null, t('pano.title', meta.areaName(area, areaAllLabel(meta.region)), meta.chainName(chain))),
      h('div', {class: 'toolbar'},
        scopeSelectors(meta, area, chain),
        h('div', {class: 'btn-group', role: 'group', 'aria-label': t('pano.zoom')}, zoomOut, zoomIn, zoomFit),
        h('div', {class: 'btn-group', role: 'group'}, dlSvg, dlPng))),
    h('div', {class: 'pano'},
      h('div', {class: 'pano-main'}, canvas, h('p', {class: 'hint'}, t('pano.hint'))),
      h('aside', {class: 'pano-side'}, summary, panel, segList)));

  const sameScope = early && params.get('area') === area && params.get('chain') === chain;
  const fetched = sameScope ? early : fetchScope(area, chain, ctx.signal);
  // The picture as soon as it is here: it zooms and pans while the
  // analysis beside it is still on its way (performance mark
  // 'panorama-picture'); clicks into it wait for the analysis.
  const text = await fetched.picture;
  if (ctx.stale()) {
    return;
  }
  const el = importSVG(text);
  replace(canvas, el);
  performance.mark('panorama-picture');
  const names = new Names(el);
  const zoom = attachZoom(el, canvas);
  zoomIn.addEventListener('click', () => zoom.by(1 / 1.25));
  zoomOut.addEventListener('click', () => zoom.by(1.25));
  zoomFit.addEventListener('click', () => zoom.reset());
  add(summary, h('div', {class: 'loading'}, t('loading')));
  const report = await fetched.report;
  if (ctx.stale()) {
    return;
  }
  const view = {root, meta, scope, report, text, el, canvas, panel, segList, names, ctx, selSeq: 0, targets: null};
  live = view;
  attachClicks(view, zoom);

  dlSvg.disabled = false;
  dlPng.disabled = false;
  // The downloads are the picture on screen, of the time on screen.
  const parts = ['chainscope', area === '*' ? 'all' : area, chain, lang(), asOf() ? 'asof-' + asOf() : ''];
  dlSvg.addEventListener('click', () => saveBlob(svgBlob(text), fileName(parts, 'svg')));
  dlPng.addEventListener('click', async () => {
    dlPng.disabled = true;
    try {
      saveBlob(await pngBlob(text), fileName(parts, 'png'));
    } catch (err) {
      panelMessage(view, err.message);
    } finally {
      dlPng.disabled = false;
    }
  });

  renderSummary(view, summary);
  renderSegments(view);
  await applySelection(view, new URLSearchParams(location.search));
}

// update changes the selection when only node/seg changed (back/forward
// or a link inside the view); anything else rebuilds the view.
export function update(params) {
  if (!live || live.ctx.stale() || params.get('area') !== live.scope.area || params.get('chain') !== live.scope.chain) {
    return false;
  }
  applySelection(live, params);
  return true;
}

function scopeSelectors(meta, area, chain) {
  const areaSel = h('select', {id: 'area-select', class: 'select', 'aria-label': t('pano.area')},
    h('option', {value: '*'}, areaAllLabel(meta.region) + ' · ' + meta.region.name),
    meta.areaOptions().map((o) => h('option', {value: o.code}, (o.zone ? '\u3000' : '') + o.name)));
  areaSel.value = area;
  const chainSel = h('select', {id: 'chain-select', class: 'select', 'aria-label': t('pano.chain')},
    meta.chains.map((c) => h('option', {value: c.id}, c.name)));
  chainSel.value = chain;
  const go = () => navigate(href('panorama', {area: areaSel.value, chain: chainSel.value}));
  areaSel.addEventListener('change', go);
  chainSel.addEventListener('change', go);
  return h('div', {class: 'selectors'},
    h('label', {class: 'field-inline'}, h('span', null, t('pano.area')), areaSel),
    h('label', {class: 'field-inline'}, h('span', null, t('pano.chain')), chainSel));
}

// importSVG parses the served text as an SVG document and imports its
// root element: no markup is parsed as HTML, and the picture holds no
// script (the renderer's subset forbids it), so the CSP holds.
function importSVG(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const rootEl = doc.documentElement;
  if (rootEl.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) {
    throw new Error(t('pano.badSvg'));
  }
  const el = document.importNode(rootEl, true);
  el.dataset.width = el.getAttribute('width');
  el.dataset.height = el.getAttribute('height');
  el.setAttribute('width', '100%');
  el.setAttribute('height', '100%');
  el.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  el.id = 'panorama-svg';
  return el;
}

// attachZoom makes the picture zoom (wheel, buttons, keys) and pan (drag)
// by rewriting its viewBox; the drawing itself is never changed.
function attachZoom(el, canvas) {
  const [x0, y0, w0, h0] = el.getAttribute('viewBox').split(/[\s,]+/).map(Number);
  const home = {x: x0, y: y0, w: w0, h: h0};
  let vb = {...home};
  const apply = () => el.setAttribute('viewBox', `${vb.x.toFixed(1)} ${vb.y.toFixed(1)} ${vb.w.toFixed(1)} ${vb.h.toFixed(1)}`);

  // toSVG maps a point of the screen to picture coordinates.
  const toSVG = (cx, cy) => {
    const m = el.getScreenCTM();
    if (!m) {
      return {x: vb.x + vb.w / 2, y: vb.y + vb.h / 2};
    }
    const p = new DOMPoint(cx, cy).matrixTransform(m.inverse());
    return {x: p.x, y: p.y};
  };
  // by scales the view by f around a picture point (default: the centre).
  const by = (f, at) => {
    const nw = Math.min(home.w * 2, Math.max(home.w / 12, vb.w * f));
    f = nw / vb.w;
    const p = at || {x: vb.x + vb.w / 2, y: vb.y + vb.h / 2};
    vb = {x: p.x - (p.x - vb.x) * f, y: p.y - (p.y - vb.y) * f, w: vb.w * f, h: vb.h * f};
    apply();
  };
  const reset = () => {
    vb = {...home};
    apply();
  };
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    by(Math.exp(ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)), toSVG(ev.clientX, ev.clientY));
  }, {passive: false});

  // Dragging pans; a press that moved more than a few pixels is a drag,
  // and the click that ends it selects nothing.
  let drag = null;
  let moved = false;
  canvas.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) {
      return;
    }
    const r = el.getBoundingClientRect();
    const scale = Math.min(r.width / vb.w, r.height / vb.h) || 1;
    drag = {x: ev.clientX, y: ev.clientY, vb: {...vb}, scale, id: ev.pointerId};
    moved = false;
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!drag || ev.pointerId !== drag.id) {
      return;
    }
    const dx = ev.clientX - drag.x;
    const dy = ev.clientY - drag.y;
    if (!moved && Math.hypot(dx, dy) > 4) {
      moved = true;
      canvas.setPointerCapture(ev.pointerId);
      canvas.classList.add('is-dragging');
    }
    if (moved) {
      vb = {...drag.vb, x: drag.vb.x - dx / drag.scale, y: drag.vb.y - dy / drag.scale};
      apply();
    }
  });
  const end = (ev) => {
    if (drag && ev.pointerId === drag.id) {
      drag = null;
      canvas.classList.remove('is-dragging');
    }
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('keydown', (ev) => {
    const step = vb.w * 0.08;
    const keys = {
      '+': () => by(1 / 1.25), '=': () => by(1 / 1.25), '-': () => by(1.25), '0': reset,
      ArrowLeft: () => { vb.x -= step; apply(); }, ArrowRight: () => { vb.x += step; apply(); },
      ArrowUp: () => { vb.y -= step; apply(); }, ArrowDown: () => { vb.y += step; apply(); },
    };
    if (keys[ev.key]) {
      ev.preventDefault();
      keys[ev.key]();
    }
  });
  return {by, reset, wasDrag: () => moved};
}

// The kinds of clickable element, by id prefix.
const TARGETS = 'g[id^="node-"], g[id^="alias-"], g[id^="seg-"], g[id^="link-"]';

// targetOf names what a clicked group shows: {kind, id}. Ids come from
// the group's tooltip ("id: …" is its last line), which holds the record's
// id exactly even where the element id had to be cleaned.
function targetOf(g, view) {
  const kind = g.id.startsWith('seg-') ? 'segment' : g.id.startsWith('link-') ? 'link' : 'node';
  if (kind === 'link') {
    const [from, to] = g.id.slice('link-'.length).split('→');
    return {kind, from, to};
  }
  return {kind, id: view.names.idOf(g)};
}

function attachClicks(view, zoom) {
  view.el.addEventListener('click', (ev) => {
    if (zoom.wasDrag()) {
      return;
    }
    const g = ev.target.closest(TARGETS);
    if (!g) {
      return;
    }
    const target = targetOf(g, view);
    if (target.kind === 'segment') {
      select(view, {seg: target.id});
    } else if (target.kind === 'node') {
      select(view, {node: target.id});
    } else {
      showPanel(view, linkPanel(view, target.from, target.to, panelActions(view)), null);
    }
  });
}

// select changes the selection and records it in the address (without a
// new history entry: a click is not a navigation).
function select(view, {node = '', seg = '', kind = ''}) {
  setParams({node, seg, kind});
  applySelection(view, new URLSearchParams(location.search));
}

function panelActions(view) {
  return {
    selectNode: (id, kind) => select(view, {node: id, kind}),
    selectSegment: (id) => select(view, {seg: id}),
    inScope: (id) => view.names.has(id),
  };
}

async function applySelection(view, params) {
  // A later selection wins over a panel still loading.
  const mine = ++view.selSeq;
  const show = (content, key) => {
    if (mine === view.selSeq && !view.ctx.stale()) {
      showPanel(view, content, key);
    }
  };
  const node = params.get('node');
  const seg = params.get('seg');
  highlight(view, node ? view.names.groupOf(node) : seg ? view.el.querySelector(`#${CSS.escape('seg-' + seg)}`) : null, node);
  for (const row of view.segList.querySelectorAll('.seg-row')) {
    row.classList.toggle('is-selected', row.dataset.id === seg);
  }
  if (node) {
    show(h('div', {class: 'loading'}, t('loading')), null);
    try {
      const kind = params.get('kind') || view.names.kindOf(node) || '';
      show(await nodePanel(view, node, kind, panelActions(view)), node);
    } catch (err) {
      if (err.name !== 'AbortError') {
        show(view.ctx.error(err), node);
      }
    }
  } else if (seg) {
    show(h('div', {class: 'loading'}, t('loading')), seg);
    try {
      show(await segmentPanel(view, seg, panelActions(view)), seg);
    } catch (err) {
      if (err.name !== 'AbortError') {
        show(view.ctx.error(err), seg);
      }
    }
  } else {
    view.panel.hidden = true;
    clear(view.panel);
  }
}

function showPanel(view, content, key) {
  const close = h('button', {type: 'button', class: 'btn btn-icon panel-close', id: 'panel-close', 'aria-label': t('close'), title: t('close')}, '×');
  close.addEventListener('click', () => select(view, {}));
  replace(view.panel, close, content);
  view.panel.hidden = false;
  view.panel.dataset.key = key || '';
}

function panelMessage(view, message) {
  showPanel(view, h('div', {class: 'alert alert-error'}, message), null);
}

// highlight outlines the selected element with an overlay rectangle
// (drawn over the picture, not into it) and marks a node's links.
function highlight(view, g, nodeId) {
  const old = view.el.querySelector('#cs-overlay');
  if (old) {
    old.remove();
  }
  for (const l of view.el.querySelectorAll('.is-related')) {
    l.classList.remove('is-related');
  }
  if (!g) {
    return;
  }
  if (nodeId) {
    for (const l of view.el.querySelectorAll('g[id^="link-"]')) {
      const [from, to] = l.id.slice(5).split('→');
      if (from === nodeId || to === nodeId) {
        l.classList.add('is-related');
      }
    }
  }
  const b = g.getBBox();
  const pad = 4;
  view.el.appendChild(svg('g', {id: 'cs-overlay', 'pointer-events': 'none'},
    svg('rect', {x: b.x - pad, y: b.y - pad, width: b.width + 2 * pad, height: b.height + 2 * pad, rx: 6,
      fill: 'none', class: 'overlay-ring'})));
}

function renderSummary(view, box) {
  const r = view.report;
  const counts = {missing: 0, broken: 0, weak: 0, ok: 0};
  for (const s of r.segments) {
    counts[s.status]++;
    if (s.broken) {
      counts.broken++;
    }
  }
  const stat = (label, value, cls) => h('div', {class: ['stat', cls]}, h('div', {class: 'stat-value'}, value), h('div', {class: 'stat-label'}, label));
  replace(box,
    h('div', {class: 'stats'},
      stat(t('pano.completeness'), pct(r.completeness, 1), 'stat-accent'),
      stat(t('status.missing'), num(counts.missing), counts.missing ? 'stat-missing' : ''),
      stat(t('status.broken'), num(counts.broken), counts.broken ? 'stat-missing' : ''),
      stat(t('status.weak'), num(counts.weak), counts.weak ? 'stat-weak' : '')),
    r.not_pursued ? h('p', {class: 'pano-not-pursued', id: 'pano-not-pursued'}, h('span', {class: 'tag tag-not-pursued'}, t('mark.notPursued')), ' ', t('mark.notPursuedTitle')) : null,
    h('p', {class: 'pano-totals'}, t('pano.totals', num(r.totals.enterprises), num(r.totals.projects), num(r.totals.links), yi(r.totals.investment_wan))),
    h('p', {class: 'pano-json'}, h('a', {href: apiUrl('/analysis', view.scope), target: '_blank', rel: 'noopener'}, t('pano.json'))));
}

// renderSegments lists the analysis beside the picture: every segment in
// the chain's order with its status badges; a row selects the segment.
function renderSegments(view) {
  const pursuing = new Map((view.report.pursuing || []).map((p) => [p.segment, p.open_leads]));
  const rows = view.report.segments.map((s) => {
    const row = h('button', {type: 'button', class: ['seg-row', 'seg-' + s.status], dataset: {id: s.id, status: s.status}},
      h('span', {class: 'seg-stage'}, stageLabel(s.stage)),
      h('span', {class: 'seg-name'}, s.name),
      h('span', {class: 'seg-count'}, num(s.nodes.length)),
      h('span', {class: 'seg-badges'}, statusBadges(s),
        pursuing.get(s.id) ? h('span', {class: 'tag tag-pursued', dataset: {openLeads: String(pursuing.get(s.id))}}, t('mark.pursuing', num(pursuing.get(s.id)))) : null));
    row.addEventListener('click', () => select(view, {seg: s.id}));
    return row;
  });
  replace(view.segList, h('h2', {class: 'side-title'}, t('pano.segments')), h('div', {class: 'seg-rows'}, rows));
}
