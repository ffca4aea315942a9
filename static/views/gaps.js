// gaps.js — 补链清单: for one county (and one chain or every chain), every
// missing or weak segment with the enterprises elsewhere in the region that
// could fill it and why (GET /api/v1/targets), and the signed and started
// projects ranked by what delivering them would fix (GET /api/v1/impact).
// The report downloads as an Excel workbook the server builds (GET
// /api/v1/gaps.xlsx, for the same area, chain, language and as-of time),
// and the list on the page as CSV (UTF-8 with BOM, so Excel reads the
// Chinese). For a county, a 延链建议 section lists the segments it lacks
// that most often sit together with what it has (GET /api/v1/relatedness,
// SPEC §11); a row opens the panorama with the segment marked.

import {h, add} from '../dom.js';
import {get, url, asOf, token} from '../api.js';
import {t, lang, pct, num, yiNum, stageLabel, projectStatusLabel, areaAllLabel, levelOf, reasonsText} from '../i18n.js';
import {href, navigate} from '../router.js';
import {loadMeta} from '../meta.js';
import {statusBadges} from './record.js';
import {newLeadHref} from './leads.js';
import {saveBlob, csvBlob, fileName} from '../download.js';
import {meter} from '../chart.js';

const PER_SEGMENT = 5;

// RELATED is how many 延链 suggestions the page shows.
const RELATED = 8;

export async function render(root, params, ctx) {
  const meta = await loadMeta();
  const firstCounty = meta.areaOptions()[0];
  const area = params.get('area') || (firstCounty ? firstCounty.code : '*');
  const chain = params.get('chain') || '';
  const chains = chain ? meta.chains.filter((c) => c.id === chain) : meta.chains;
  if (chain && !chains.length) {
    throw Object.assign(new Error(t('gaps.unknownChain', chain)), {status: 404});
  }

  const county = meta.countyByCode.get(area);
  const isCounty = Boolean(county) && county.kind !== 'zone';
  const [results, summary, related] = await Promise.all([
    Promise.all(chains.map((c) => Promise.all([
      get('/targets', {area, chain: c.id, limit: PER_SEGMENT}, ctx.signal),
      get('/impact', {area, chain: c.id}, ctx.signal),
    ]).then(([targets, impact]) => ({chain: c, targets, impact})))),
    get('/analysis/all', null, ctx.signal),
    // A failed suggestion list leaves the rest of the report standing.
    isCounty ? get('/relatedness', {area, chain, limit: RELATED}, ctx.signal).catch((err) => {
      if (err.name === 'AbortError') {
        throw err;
      }
      return {error: err};
    }) : null,
  ]);
  const completeness = new Map(summary.items.filter((s) => s.area === area).map((s) => [s.chain, s.completeness]));
  // 未布局: the chains the county does not develop (SPEC §5, the server's
  // not_pursued); their gaps do not add up into the county's.
  const notPursued = new Set(summary.items.filter((s) => s.area === area && s.not_pursued).map((s) => s.chain));

  const areaSel = h('select', {id: 'gaps-area', class: 'select', 'aria-label': t('gaps.area')},
    meta.areaOptions().map((o) => h('option', {value: o.code}, (o.zone ? '\u3000' : '') + o.name)),
    h('option', {value: '*'}, areaAllLabel(meta.region) + ' · ' + meta.region.name));
  areaSel.value = area;
  const chainSel = h('select', {id: 'gaps-chain', class: 'select', 'aria-label': t('gaps.chain')},
    h('option', {value: ''}, t('gaps.allChains')),
    meta.chains.map((c) => h('option', {value: c.id}, c.name)));
  chainSel.value = chain;
  const go = () => navigate(href('gaps', {area: areaSel.value, chain: chainSel.value}));
  areaSel.addEventListener('change', go);
  chainSel.addEventListener('change', go);

  // The server names the file (Content-Disposition), so download has no value.
  const xlsx = h('a', {class: 'btn btn-primary', id: 'download-xlsx', download: true,
    href: url('/gaps.xlsx', {area, chain, lang: lang()})}, t('gaps.xlsx'));
  const csv = h('button', {type: 'button', class: 'btn', id: 'download-csv'}, t('gaps.csv'));
  csv.addEventListener('click', () => saveBlob(csvBlob(csvRows(results, meta, area)),
    fileName([t('gaps.fileName'), meta.areaName(area, areaAllLabel(meta.region)), chain ? meta.chainName(chain) : t('gaps.allChains'), asOfFilePart()], 'csv')));

  // Chains the area already has a foothold in come first: strengthening
  // them is the usual 补链; chains it has nothing of follow, folded.
  const present = (r) => completeness.get(r.chain.id) !== 0;
  const pursued = (r) => !notPursued.has(r.chain.id);
  const ordered = [...results.filter((r) => pursued(r) && present(r)), ...results.filter((r) => pursued(r) && !present(r)),
    ...results.filter((r) => !pursued(r))];

  let missing = 0;
  let broken = 0;
  let weak = 0;
  for (const r of results.filter(pursued)) {
    for (const g of r.targets) {
      if (g.status === 'missing') {
        missing++;
        broken += g.broken ? 1 : 0;
      } else {
        weak++;
      }
    }
  }

  add(root,
    h('div', {class: 'page-head page-head-row'},
      h('div', null,
        h('h1', null, t('gaps.title', meta.areaName(area, areaAllLabel(meta.region)))),
        h('p', {class: 'page-sub', id: 'gaps-summary'}, t('gaps.summary', num(missing), num(broken), num(weak)))),
      h('div', {class: 'toolbar'},
        h('label', {class: 'field-inline'}, h('span', null, t('gaps.area')), areaSel),
        h('label', {class: 'field-inline'}, h('span', null, t('gaps.chain')), chainSel),
        xlsx, csv)),
    area === '*' ? h('div', {class: 'alert'}, t('gaps.allNote', areaAllLabel(meta.region))) : null,
    results.length > 1 ? chainIndex(ordered, notPursued) : null,
    notPursued.size ? h('p', {class: 'muted small', id: 'gaps-not-pursued'}, t('mark.notPursuedNote', num(notPursued.size))) : null,
    ordered.map((r) => chainSection(r, meta, area, completeness.get(r.chain.id), notPursued.has(r.chain.id))),
    // 延链 after 补链: what to grow next, once the gaps are read.
    relatedSection(related, meta, area, chain),
    h('p', {class: 'footnote'}, t('gaps.xlsxNote')));
}

// asOfFilePart names the time of a download made while the page shows
// the past ('' for now).
function asOfFilePart() {
  const v = asOf();
  if (!v) {
    return '';
  }
  return /^[0-9]+$/.test(v) ? t('asof.fileRev', v) : t('asof.file', v);
}

// hereName is how the page calls the county it is about: 本县, 本区 or
// 本市 by its kind (the county in English).
function hereName(meta, area) {
  const c = meta.countyByCode.get(area);
  const names = {county: t('rel.here.county'), district: t('rel.here.district'), city: t('rel.here.city')};
  return (c && names[c.kind]) || t('rel.here.county');
}

// relatedSection is the 延链建议 of a county: the segments it lacks by
// density, each with its density as a bar and the segments it already has
// that are why. The whole region and a zone get a hint instead (§11
// answers for counties only).
function relatedSection(related, meta, area, chain) {
  const head = h('div', {class: 'card-head'}, h('h2', null, t('rel.title')));
  if (!related) {
    const c = meta.countyByCode.get(area);
    const parent = c && c.kind === 'zone' && c.parent && meta.countyByCode.has(c.parent) ? c.parent : '';
    return h('section', {class: 'card card-compact', id: 'related'}, head,
      h('p', {class: 'muted', id: 'related-hint'}, area === '*' || !parent ? t('rel.all') : [t('rel.zone'),
        h('a', {href: href('gaps', {area: parent, chain})}, t('rel.zoneLink', meta.areaName(parent)))]));
  }
  if (related.error) {
    const err = related.error;
    return h('section', {class: 'card card-compact', id: 'related'}, head,
      h('div', {class: 'alert alert-error'}, t('rel.failed', err.status === 0 ? t('error.network') : err.message || t('error.unknown'))));
  }
  const here = hereName(meta, area);
  head.appendChild(h('span', {class: 'card-note'}, t('rel.note', here)));
  const items = related.suggestions.filter((s) => s.density > 0);
  if (!items.length) {
    return h('section', {class: 'card', id: 'related'}, head, h('p', {class: 'muted'}, t('rel.none', here)),
      h('p', {class: 'footnote rel-explain'}, t('rel.explain', here)));
  }
  const sep = t('sep.list');
  const segName = (id, ofChain) => {
    const seg = meta.segment(id);
    const name = seg ? seg.name : id;
    return seg && seg.chain !== ofChain ? t('rel.otherChain', meta.chainName(seg.chain), name) : name;
  };
  const because = (s) => t('rel.because', here, s.because.map((b, i) =>
    t(i === 0 ? 'rel.becauseFirst' : 'rel.becauseNext', segName(b.segment, s.chain), b.proximity.toFixed(2))).join(sep));
  const rows = items.map((s) => {
    const to = href('panorama', {area, chain: s.chain, seg: s.segment});
    const seg = meta.segment(s.segment);
    const row = h('tr', {class: 'rel-row', dataset: {segment: s.segment, chain: s.chain, density: String(s.density)}},
      h('th', {scope: 'row'},
        h('a', {href: to, class: 'rel-link'}, seg ? seg.name : s.segment),
        seg ? h('div', {class: 'muted small'}, stageLabel(seg.stage)) : null),
      h('td', null, meta.chainName(s.chain)),
      h('td', {class: 'bar-cell'}, h('span', {class: 'bar-cell-inner'},
        meter(s.density, {label: `${t('rel.col.density')} ${s.density.toFixed(2)}`}),
        h('span', {class: 'bar-cell-value rel-density'}, s.density.toFixed(2)))),
      h('td', {class: 'small rel-because'}, s.because.length ? because(s) : '—'));
    // The whole row opens the panorama, as its link does.
    row.addEventListener('click', (ev) => {
      if (!ev.target.closest('a')) {
        navigate(to);
      }
    });
    return row;
  });
  return h('section', {class: 'card', id: 'related'}, head,
    h('p', {class: 'rel-explain'}, t('rel.explain', here)),
    h('div', {class: 'table-wrap'}, h('table', {class: 'table rel-table', id: 'related-table'},
      h('thead', null, h('tr', null,
        h('th', {scope: 'col'}, t('rel.col.segment')),
        h('th', {scope: 'col'}, t('rel.col.chain')),
        h('th', {scope: 'col'}, t('rel.col.density')),
        h('th', {scope: 'col'}, t('rel.col.because')))),
      h('tbody', null, rows))),
    h('p', {class: 'footnote'}, t('rel.proximityNote')));
}

// chainIndex lists the chains with their gap counts; a click scrolls to
// the chain's section.
function chainIndex(results, notPursued) {
  return h('nav', {class: 'chain-index', 'aria-label': t('gaps.index')}, results.map((r) => {
    const miss = r.targets.filter((g) => g.status === 'missing').length;
    const weak = r.targets.length - miss;
    const np = notPursued.has(r.chain.id);
    const b = h('button', {type: 'button', class: ['chip', 'chip-link', np ? 'is-not-pursued' : null]}, r.chain.name,
      np ? h('span', {class: 'chip-count tag-not-pursued'}, t('mark.notPursued')) : miss ? h('span', {class: 'chip-count chip-missing'}, t('gaps.indexMissing', miss)) : null,
      !np && weak ? h('span', {class: 'chip-count chip-weak'}, t('gaps.indexWeak', weak)) : null,
      !np && !miss && !weak ? h('span', {class: 'chip-count'}, t('status.ok')) : null);
    b.addEventListener('click', () => {
      const sec = document.querySelector(`section[data-chain="${CSS.escape(r.chain.id)}"]`);
      if (sec) {
        const d = sec.querySelector('details');
        if (d) {
          d.open = true;
        }
        sec.scrollIntoView({behavior: 'smooth', block: 'start'});
      }
    });
    return b;
  }));
}

function chainSection({chain, targets, impact}, meta, area, completeness, notPursued) {
  const head = h('div', {class: 'card-head'},
    h('h2', null, h('a', {href: href('panorama', {area, chain: chain.id})}, chain.name),
      notPursued ? [' ', h('span', {class: 'tag tag-not-pursued', title: t('mark.notPursuedTitle')}, t('mark.notPursued'))] : null),
    completeness !== undefined ? h('span', {class: 'card-note'}, `${t('pano.completeness')} ${pct(completeness, 1)}`) : null);
  if (!targets.length && !impact.length) {
    return h('section', {class: 'card card-compact', dataset: {chain: chain.id}}, head, h('p', {class: 'muted'}, t('gaps.noGaps')));
  }
  const body = [
    targets.length ? gapTable(targets, meta, area, chain) : h('p', {class: 'muted'}, t('gaps.noGaps')),
    impact.length ? [h('h3', null, t('gaps.impact')), impactTable(impact, meta, area, chain)] : null,
  ];
  if (completeness === 0 || notPursued) {
    // Nothing of the chain in the area yet: a list of every segment, kept
    // folded so the chains the area has lead the page.
    return h('section', {class: 'card card-compact', dataset: {chain: chain.id}}, head,
      h('details', null, h('summary', null, t('gaps.absent', targets.length)), body));
  }
  return h('section', {class: 'card', dataset: {chain: chain.id}}, head, body);
}

function gapTable(targets, meta, area, chain) {
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table gap-table'},
    h('thead', null, h('tr', null,
      h('th', {scope: 'col'}, t('gaps.col.segment')),
      h('th', {scope: 'col'}, t('gaps.col.status')),
      h('th', {scope: 'col'}, t('gaps.col.candidates')))),
    h('tbody', null, targets.map((g) => h('tr', {class: 'gap-row', dataset: {segment: g.segment, status: g.status}},
      h('th', {scope: 'row'},
        h('a', {href: href('panorama', {area, chain: chain.id, seg: g.segment})}, g.name),
        h('div', {class: 'muted small'}, stageLabel(g.stage))),
      h('td', null, statusBadges({status: g.status, reasons: g.reasons, broken: g.broken}),
        g.open_leads > 0 ? [' ', h('a', {class: 'tag tag-pursued', dataset: {openLeads: String(g.open_leads)},
          href: href('leads', {area, chain: chain.id})}, t('mark.pursuing', num(g.open_leads)))] : null),
      h('td', null, g.candidates.length
        ? [h('ol', {class: 'cand-list'}, g.candidates.map((c) => h('li', null,
          h('a', {href: href('panorama', {area: meta.areaOf(c.county), chain: chain.id, node: c.id, kind: c.project ? 'project' : 'enterprise'})}, c.name),
          h('span', {class: 'muted'}, ` · ${meta.areaName(c.county)} · ${t('seg.score')} ${c.score.toFixed(1)}`),
          c.leader ? h('span', {class: 'badge badge-leader'}, '★ ' + t('panel.leader')) : null,
          leadLink(c, area, g.segment),
          h('div', {class: 'small muted cand-reasons'}, reasonsText(c.reasons))))),
        g.candidates_total > g.candidates.length ? h('p', {class: 'muted small more'}, t('seg.moreCandidates', num(g.candidates_total))) : null]
        : h('span', {class: 'muted'}, area === '*' ? t('seg.targetsAll', areaAllLabel(meta.region)) : t('seg.noCandidates', areaAllLabel(meta.region), t('level.' + levelOf(meta.region))))))))));
}

// leadLink is the one click that turns a gap-filling target into a new
// lead of the county (an editor's, in the current data only).
function leadLink(c, area, segment) {
  if (!token() || asOf() || area === '*') {
    return null;
  }
  return [' ', h('a', {class: 'btn btn-small btn-ghost lead-from-target', dataset: {target: c.id},
    href: newLeadHref({name: c.name, enterprise: c.project ? '' : c.id, county: area, segment})}, t('lead.fromTarget'))];
}

function impactTable(impact, meta, area, chain) {
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table impact-table'},
    h('thead', null, h('tr', null,
      h('th', {scope: 'col', class: 'num'}, t('gaps.col.rank')),
      h('th', {scope: 'col'}, t('gaps.col.project')),
      h('th', {scope: 'col'}, t('gaps.col.county')),
      h('th', {scope: 'col'}, t('gaps.col.projectStatus')),
      h('th', {scope: 'col', class: 'num'}, t('gaps.col.investment')),
      h('th', {scope: 'col', class: 'num'}, t('gaps.col.filled')),
      h('th', {scope: 'col', class: 'num'}, t('gaps.col.weakToOk')),
      h('th', {scope: 'col', class: 'num'}, t('gaps.col.gain')),
      h('th', {scope: 'col'}, t('gaps.col.changes')))),
    h('tbody', null, impact.map((p) => h('tr', null,
      h('td', {class: 'num'}, num(p.rank)),
      h('td', null, h('a', {href: href('panorama', {area, chain: chain.id, node: p.id, kind: 'project'})}, p.name)),
      h('td', null, meta.areaName(p.county)),
      h('td', null, h('span', {class: ['badge', 'badge-project-' + p.status]}, projectStatusLabel(p.status))),
      h('td', {class: 'num'}, p.investment_wan ? yiNum(p.investment_wan) : '—'),
      h('td', {class: 'num'}, num(p.filled)),
      h('td', {class: 'num'}, num(p.weak_to_ok)),
      h('td', {class: 'num'}, p.completeness_gain ? '+' + pct(p.completeness_gain, 1) : '—'),
      h('td', {class: 'small'}, p.changes.map((c) => t('gaps.change', c.name, t('status.' + c.from), t('status.' + c.to))).join(t('cand.sep'))))))));
}

// csvRows is the gap list as a table: one row per candidate, a segment
// without candidates on a row of its own.
function csvRows(results, meta, area) {
  const rows = [[t('csv.area'), t('csv.chain'), t('csv.segment'), t('csv.stage'), t('csv.status'), t('csv.broken'),
    t('csv.rank'), t('csv.candidate'), t('csv.candidateId'), t('csv.candidateCounty'), t('csv.score'), t('csv.reasons')]];
  const areaName = meta.areaName(area, areaAllLabel(meta.region));
  for (const {chain, targets} of results) {
    for (const g of targets) {
      const status = g.status === 'missing' ? t('status.missing')
        : [t('status.weak'), ...(g.reasons || []).map((r) => t('reason.' + r))].join('·');
      const base = [areaName, chain.name, g.name, stageLabel(g.stage), status, g.broken ? t('yes') : ''];
      if (!g.candidates.length) {
        rows.push([...base, '', '', '', '', '', '']);
      }
      g.candidates.forEach((c, i) => {
        rows.push([...base, i + 1, c.name, c.id, meta.areaName(c.county), c.score.toFixed(2), reasonsText(c.reasons)]);
      });
    }
  }
  return rows;
}
