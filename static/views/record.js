// record.js — the side panels of the panorama: a node (enterprise or
// project) with its details, why it matters in this scope and who changed
// it when (修改历史), a segment with its status and the enterprises that
// could fill it, a supply link.

import {h} from '../dom.js';
import {get, token, asOf} from '../api.js';
import {t, wan, pct, num, stageLabel, projectStatusLabel, areaAllLabel, levelOf, reasonText} from '../i18n.js';
import {href} from '../router.js';
import {meter} from '../chart.js';
import {historySection} from './history.js';
import {newLeadHref} from './leads.js';

// Names reads the names, ids and kinds of the scope's nodes from the
// picture's tooltips (first line: the name; second: 企业/项目 …; last:
// "id: …"), and asks the search for any other id.
export class Names {
  constructor(svgEl) {
    this.byId = new Map();
    this.asked = new Map();
    for (const g of svgEl.querySelectorAll('g[id^="node-"]')) {
      const lines = titleLines(g);
      const id = lastId(lines) || g.id.slice('node-'.length);
      const second = (lines[1] || '').toLowerCase();
      const kind = second.startsWith('项目') || second.startsWith('project') ? 'project' : 'enterprise';
      this.byId.set(id, {name: lines[0] || id, kind, group: g});
    }
  }

  // idOf is the record id a picture group stands for.
  idOf(g) {
    const id = lastId(titleLines(g));
    if (id) {
      return id;
    }
    return g.id.replace(/^(node|seg)-/, '');
  }

  has(id) {
    return this.byId.has(id);
  }

  groupOf(id) {
    const n = this.byId.get(id);
    return n ? n.group : null;
  }

  kindOf(id) {
    const n = this.byId.get(id);
    return n ? n.kind : '';
  }

  // resolveAll returns {name, kind} of each id, asking the server about
  // the ids not in the picture in one request (GET /names).
  async resolveAll(ids) {
    const unknown = ids.filter((id) => !this.byId.has(id) && !this.asked.has(id));
    if (unknown.length) {
      const res = get('/names', {ids: unknown.join(',')}).then((r) => new Map(r.items.map((x) => [x.id, x])), () => new Map());
      for (const id of unknown) {
        this.asked.set(id, res.then((m) => (m.has(id) ? {name: m.get(id).name, kind: m.get(id).kind} : {name: id, kind: ''})));
      }
    }
    return Promise.all(ids.map((id) => this.resolve(id)));
  }

  // resolve returns {name, kind} of any enterprise or project id.
  resolve(id) {
    const n = this.byId.get(id);
    if (n) {
      return Promise.resolve({name: n.name, kind: n.kind});
    }
    if (!this.asked.has(id)) {
      this.asked.set(id, get('/search', {q: id, limit: 50}).then((res) => {
        const hit = res.items.find((x) => x.id === id && (x.kind === 'enterprise' || x.kind === 'project'));
        return hit ? {name: hit.name, kind: hit.kind} : {name: id, kind: ''};
      }).catch(() => ({name: id, kind: ''})));
    }
    return this.asked.get(id);
  }
}

function titleLines(g) {
  const title = [...g.children].find((c) => c.nodeName === 'title');
  return title ? title.textContent.split('\n') : [];
}

function lastId(lines) {
  const last = lines[lines.length - 1] || '';
  return last.startsWith('id: ') ? last.slice(4) : '';
}

function badge(cls, text) {
  return h('span', {class: ['badge', 'badge-' + cls]}, text);
}

// statusBadges shows a segment result's status: 缺链 (with 断链, 外部供给),
// 薄弱 (with its reasons) or 正常.
export function statusBadges(s) {
  switch (s.status) {
    case 'missing':
      return [badge('missing', t('status.missing')),
        s.broken ? badge('broken', t('status.broken')) : null,
        s.supplied_externally ? badge('external', t('status.external')) : null];
    case 'weak':
      return [badge('weak', t('status.weak')), ...(s.reasons || []).map((r) => badge('reason', t('reason.' + r)))];
    default:
      return [badge('ok', t('status.ok'))];
  }
}

function dl(rows) {
  return h('dl', {class: 'facts'}, rows.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

// nameButton is a record name that opens that record's panel.
function nameButton(id, name, kind, actions) {
  const b = h('button', {type: 'button', class: 'link-button', dataset: {id}}, name);
  b.addEventListener('click', () => actions.selectNode(id, kind));
  return b;
}

function segmentLinks(view, segments, actions) {
  const {meta, scope} = view;
  return h('ul', {class: 'chips'}, segments.map((sid) => {
    const s = meta.segment(sid);
    if (!s) {
      return h('li', null, sid);
    }
    if (s.chain === scope.chain) {
      const b = h('button', {type: 'button', class: 'chip chip-link'}, s.name);
      b.addEventListener('click', () => actions.selectSegment(sid));
      return h('li', null, b);
    }
    return h('li', null, h('a', {class: 'chip', href: href('panorama', {area: scope.area, chain: s.chain, seg: sid})},
      s.name, h('small', null, ' · ' + meta.chainName(s.chain))));
  }));
}

// partnerList lists supply links of a record: the partner's name (a
// button opening its panel) and the product.
async function partnerList(view, links, end, actions) {
  if (!links.length) {
    return h('p', {class: 'muted'}, t('panel.none'));
  }
  const partners = await Promise.all(links.map((l) => view.names.resolve(l[end])));
  return h('ul', {class: 'plain-list'}, links.map((l, i) => h('li', null,
    nameButton(l[end], partners[i].name, partners[i].kind, actions),
    l.product ? h('span', {class: 'muted'}, ' · ' + l.product) : null,
    actions.inScope(l[end]) ? null : h('span', {class: 'tag tag-outside'}, t('panel.outside')))));
}

// nodePanel is the panel of an enterprise or project (kind may be '':
// it is then looked up).
export async function nodePanel(view, id, kind, actions) {
  const {meta, report, scope} = view;
  if (!kind) {
    kind = (await view.names.resolve(id)).kind || 'enterprise';
  }
  const isProject = kind === 'project';
  const path = (isProject ? '/projects/' : '/enterprises/') + encodeURIComponent(id);
  const v = await get(path, null, view.ctx.signal);
  const rec = isProject ? v.project : v.enterprise;
  const leads = !isProject && (rec.leader_of || []).includes(scope.chain);
  const cut = report.cut_nodes.find((c) => c.id === id);

  const facts = [[t('panel.county'), meta.areaName(rec.county)]];
  if (isProject) {
    let investor = null;
    if (rec.investor) {
      const inv = await view.names.resolve(rec.investor);
      investor = nameButton(rec.investor, inv.name, 'enterprise', actions);
    }
    facts.push(
      [t('panel.status'), h('span', {class: ['badge', 'badge-project-' + rec.status]}, projectStatusLabel(rec.status))],
      [t('panel.investment'), rec.investment_wan === undefined || rec.investment_wan === null ? '—' : wan(rec.investment_wan)],
      [t('panel.signed'), rec.signed || '—'],
      [t('panel.started'), rec.started || '—'],
      [t('panel.emerging'), rec.emerging ? t('yes') : t('no')],
      investor ? [t('panel.investor'), investor] : null);
  } else {
    facts.push(
      rec.uscc ? [t('panel.uscc'), h('code', null, rec.uscc)] : null,
      rec.output_wan !== undefined && rec.output_wan !== null ? [t('panel.output'), wan(rec.output_wan)] : null,
      (rec.leader_of || []).length ? [t('panel.leaderOf'), rec.leader_of.map((c) => meta.chainName(c)).join(t('sep.list'))] : null);
  }
  facts.push([t('panel.segments'), segmentLinks(view, rec.segments || [], actions)]);
  if (rec.source) {
    facts.push([t('panel.source'), rec.source === 'illustrative' ? t('panel.illustrative') : rec.source]);
  }
  if (rec.note) {
    facts.push([t('panel.note'), rec.note]);
  }

  const [suppliers, customers, why] = await Promise.all([
    partnerList(view, v.suppliers, 'from', actions),
    partnerList(view, v.customers, 'to', actions),
    whyItMatters(view, id, isProject, actions),
  ]);
  const projectsOf = !isProject && v.projects.length
    ? await Promise.all(v.projects.map((p) => view.names.resolve(p))).then((names) => h('ul', {class: 'plain-list'},
      v.projects.map((p, i) => h('li', null, nameButton(p, names[i].name, 'project', actions)))))
    : null;

  return h('div', {class: 'panel-body', dataset: {id, kind}},
    h('div', {class: 'panel-kind'},
      h('span', {class: ['tag', 'tag-' + kind]}, t(isProject ? 'kind.project' : 'kind.enterprise')),
      leads ? badge('leader', '★ ' + t('panel.leader')) : null,
      cut ? badge('cut', t('panel.cut')) : null,
      actions.inScope(id) ? null : h('span', {class: 'tag tag-outside'}, t('panel.outside'))),
    h('h2', {class: 'panel-title', id: 'panel-title'}, rec.name),
    h('p', {class: 'panel-id'}, id),
    dl(facts),
    h('h3', null, t('panel.why')),
    why,
    h('h3', null, t('panel.suppliers')),
    suppliers,
    h('h3', null, t('panel.customers')),
    customers,
    projectsOf ? [h('h3', null, t('panel.projects')), projectsOf] : null,
    h('p', null, isProject
      ? h('a', {href: href('projects', {q: id})}, t('panel.inLedger'))
      : h('a', {href: href('enterprises', {q: id})}, t('panel.inDirectory')),
    // In edit mode: straight to the record's form.
    token() && !asOf() ? [' · ', h('a', {id: 'panel-edit', href: href(isProject ? 'projects' : 'enterprises', {q: id, edit: id})}, t('panel.edit'))] : null),
    historySection(kind, id, meta, view.ctx.signal));
}

// whyItMatters explains the node's weight in the scope: cut node impact,
// bridges, its place in a chain leader's supply (dominator), sole holder
// of a segment, and for a project what delivering it would fix.
async function whyItMatters(view, id, isProject, actions) {
  const {report, scope, meta} = view;
  const items = [];
  if (!actions.inScope(id)) {
    items.push(t('why.outside', meta.areaName(scope.area, areaAllLabel(meta.region)), meta.chainName(scope.chain)));
  }
  const cut = report.cut_nodes.find((c) => c.id === id);
  if (cut) {
    items.push(t('why.cut', num(cut.impact)));
  }
  for (const b of report.bridges.filter((x) => x.a === id || x.b === id)) {
    const other = b.a === id ? b.b : b.a;
    const o = await view.names.resolve(other);
    items.push([t('why.bridge', num(b.impact)), ' ', nameButton(other, o.name, o.kind, actions)]);
  }
  for (const s of report.segments) {
    if (s.nodes.length === 1 && s.nodes[0] === id) {
      items.push(t('why.sole', s.name));
    }
  }
  const lead = report.leader_dependency.find((l) => l.id === id);
  if (lead) {
    const rate = lead.local_supply_rate === null ? t('why.noSuppliers') : pct(lead.local_supply_rate, 1);
    items.push(t('why.leader', num(lead.direct), num(lead.indirect), rate, num(lead.direct_outside)));
    if (lead.dominators.length) {
      const names = await Promise.all(lead.dominators.map((d) => view.names.resolve(d.id)));
      items.push([t('why.chokepoints'), ' ', lead.dominators.map((d, i) => [
        i > 0 ? t('sep.list') : '', nameButton(d.id, names[i].name, names[i].kind, actions), t('why.dominates', num(d.dominates))])]);
    }
  }
  for (const l of report.leader_dependency) {
    const d = l.dominators.find((x) => x.id === id);
    if (d) {
      items.push([t('why.dominator', num(d.dominates)), ' ', nameButton(l.id, l.name, 'enterprise', actions)]);
    }
  }
  if (isProject) {
    const p = report.project_impact.find((x) => x.id === id);
    if (p) {
      items.push(t('why.project', num(p.rank), num(p.filled), num(p.weak_to_ok), pct(p.completeness_gain, 1)));
      for (const c of p.changes) {
        items.push(t('why.change', c.name, t('status.' + c.from), t('status.' + c.to)));
      }
    }
  }
  if (!items.length) {
    items.push(t('why.none'));
  }
  return h('ul', {class: 'why-list', id: 'why-list'}, items.map((x) => h('li', null, x)));
}

// segmentPanel is the panel of a segment: status, who is in it, and the
// enterprises elsewhere in the region that could fill or strengthen it.
// MEMBERS_SHOWN is how many of a segment's enterprises and projects its
// panel names.
const MEMBERS_SHOWN = 30;

export async function segmentPanel(view, segId, actions) {
  const {report, scope, meta} = view;
  const s = report.segments.find((x) => x.id === segId);
  if (!s) {
    return h('div', {class: 'alert'}, t('panel.unknownSegment', segId));
  }
  let explain;
  if (s.status === 'missing') {
    explain = s.broken ? t('seg.broken') : s.supplied_externally ? t('seg.external') : t('seg.missing');
  } else if (s.status === 'weak') {
    explain = (s.reasons || []).map((r) => t('seg.' + r)).join(' ');
  } else {
    explain = t('seg.ok', num(s.nodes.length));
  }
  // A segment of a whole province holds thousands: the panel names the
  // first MEMBERS_SHOWN (the names not in the picture in one request) and
  // links the ledgers filtered to the segment for the rest.
  const first = s.nodes.slice(0, MEMBERS_SHOWN);
  const names = await view.names.resolveAll(first);
  const filter = {segment: segId, county: scope.area === '*' ? '' : scope.area};
  const members = s.nodes.length
    ? [h('ul', {class: 'plain-list', id: 'seg-members'}, first.map((id, i) => h('li', null, nameButton(id, names[i].name, names[i].kind, actions)))),
      s.nodes.length > first.length
        ? h('p', {class: 'muted', id: 'seg-members-more'}, t('seg.moreMembers', num(s.nodes.length - first.length)), ' ',
          h('a', {href: href('enterprises', filter)}, t('seg.inEnterprises')), t('sep.list'),
          h('a', {href: href('projects', filter)}, t('seg.inProjects')))
        : null]
    : h('p', {class: 'muted'}, t('panel.none'));

  let targets = null;
  if (s.status !== 'ok') {
    if (scope.area === '*') {
      targets = h('p', {class: 'muted'}, t('seg.targetsAll', areaAllLabel(meta.region)));
    } else {
      if (!view.targets) {
        view.targets = get('/targets', {...scope, limit: 10});
      }
      const list = await view.targets;
      const gap = list.find((g) => g.segment === segId);
      targets = gap && gap.candidates.length
        ? candidateList(view, gap, actions)
        : h('p', {class: 'muted'}, t('seg.noCandidates', areaAllLabel(meta.region), t('level.' + levelOf(meta.region))));
    }
  }
  return h('div', {class: 'panel-body', dataset: {id: segId, kind: 'segment'}},
    h('div', {class: 'panel-kind'}, h('span', {class: 'tag tag-segment'}, t('kind.segment')), statusBadges(s)),
    h('h2', {class: 'panel-title', id: 'panel-title'}, s.name),
    h('p', {class: 'panel-id'}, `${stageLabel(s.stage)} · ${meta.chainName(scope.chain)} · ${segId}`),
    h('p', {class: 'explain'}, explain),
    pursuingLine(report, segId),
    h('h3', null, t('seg.members', num(s.nodes.length))),
    members,
    targets ? [h('h3', null, t('seg.targets')), targets] : null);
}

// pursuingLine says that open leads would bring a missing segment (在谈),
// with a link to them.
function pursuingLine(report, segId) {
  const p = (report.pursuing || []).find((x) => x.segment === segId);
  if (!p || !p.open_leads) {
    return null;
  }
  return h('p', {class: 'pursuing', id: 'seg-pursuing'}, h('span', {class: 'tag tag-pursued'}, t('mark.pursuing', num(p.open_leads))), ' ',
    h('a', {href: href('leads', {ids: (p.leads || []).join(',')})}, t('mark.showLeads')));
}

function candidateList(view, gap, actions) {
  const {meta, scope} = view;
  return h('div', null,
    h('ol', {class: 'candidates', id: 'candidates'}, gap.candidates.map((c) => h('li', {class: 'candidate'},
      h('div', {class: 'candidate-head'},
        nameButton(c.id, c.name, c.project ? 'project' : 'enterprise', actions),
        h('span', {class: 'candidate-score', title: t('seg.score')}, c.score.toFixed(1))),
      meter(c.score / 100, {width: 200, height: 4}),
      h('div', {class: 'candidate-meta'},
        meta.areaName(c.county),
        c.leader ? badge('leader', '★ ' + t('panel.leader')) : null,
        c.supplies_area ? badge('ok', t('seg.suppliesArea')) : null,
        c.project ? h('span', {class: 'tag tag-project'}, t('kind.project')) : null,
        token() && !asOf() ? [' ', h('a', {class: 'lead-from-target', dataset: {target: c.id},
          href: newLeadHref({name: c.name, enterprise: c.project ? '' : c.id, county: scope.area, segment: gap.segment})}, t('lead.fromTarget'))] : null,
        ' ',
        h('a', {href: href('panorama', {area: meta.areaOf(c.county), chain: scope.chain, node: c.id, kind: c.project ? 'project' : 'enterprise'})}, t('seg.viewThere'))),
      h('ul', {class: 'reasons'}, c.reasons.map((r) => h('li', null, reasonText(r))))))),
    gap.candidates_total > gap.candidates.length ? h('p', {class: 'muted'}, t('seg.moreCandidates', num(gap.candidates_total))) : null,
    h('p', null, h('a', {href: href('gaps', {area: scope.area, chain: scope.chain})}, t('seg.toGaps'))));
}

// linkPanel shows a supply link: supplier → customer and its tooltip
// lines (product, bridge impact) as drawn.
export function linkPanel(view, from, to, actions) {
  const g = view.el.querySelector(`#${CSS.escape('link-' + from + '→' + to)}`);
  const lines = g ? titleLines(g).slice(1) : [];
  const name = (id) => (view.names.byId.get(id) || {name: id}).name;
  return h('div', {class: 'panel-body', dataset: {kind: 'link'}},
    h('div', {class: 'panel-kind'}, h('span', {class: 'tag tag-link'}, t('kind.link'))),
    h('h2', {class: 'panel-title', id: 'panel-title'},
      nameButton(from, name(from), view.names.kindOf(from), actions), ' → ', nameButton(to, name(to), view.names.kindOf(to), actions)),
    lines.map((l) => h('p', null, l)));
}
