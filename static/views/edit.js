// edit.js — the edit forms of every record an officer keeps: projects,
// enterprises and supply links, one way for all three. Each form sends
// the record as the API's JSON (SPEC §2), shows each problem the API
// reports next to the field it names, sends back the ETag the record was
// read with (If-Match) so that a change someone else saved in between is
// refused (412) and shown, never overwritten, and shows the record's
// 修改历史.
//
// Amounts are typed in 亿元 (English: CNY m), the unit the ledgers show,
// and sent in 万元 exactly (i18n.js wanFromInput); an amount ×10 000 away
// from the record's previous value asks for confirmation first.
//
// The investor and the ends of a link are picked from every enterprise
// through GET /api/v1/search?kind=enterprise, not from a first page.

import {h, replace} from '../dom.js';
import {get, getVersioned, send, ApiError} from '../api.js';
import {t, yi, num, regionOwnLabel, amountUnit, wanFromInput, inputFromWan, projectStatusLabel, STATUSES, LEAD_STAGES, leadStageLabel} from '../i18n.js';
import {historySection, fieldChanges, fieldTable} from './history.js';

// SCALE_CONFIRM is the factor between an amount and the record's previous
// one from which the form asks before saving: 万元 typed as 亿元 or back.
const SCALE_CONFIRM = 10000;

// scaleJump returns the factor between the previous and the new amount
// when it is SCALE_CONFIRM or more either way, else 0.
export function scaleJump(before, after) {
  if (!(before > 0) || !(after > 0)) {
    return 0;
  }
  const f = after > before ? after / before : before / after;
  return f >= SCALE_CONFIRM ? f : 0;
}

// field is a labelled control with the slot its problems go to.
function field(prefix, name, label, control, hint, wide) {
  return h('div', {class: ['field', wide ? 'field-wide' : null], dataset: {field: name}},
    h('label', {for: prefix + '-' + name}, label), control, hint ? h('small', {class: 'muted'}, hint) : null,
    h('div', {class: 'field-error', dataset: {for: name}, role: 'alert'}));
}

// segmentPicker is every segment of every chain as checkboxes, grouped by
// chain, with the chosen ones named beside the label.
function segmentPicker(prefix, meta) {
  const box = h('div', {class: 'seg-picker', id: prefix + '-segments', role: 'group', 'aria-label': t('ledger.col.segments')},
    meta.chains.map((c) => h('div', {class: 'seg-group'},
      h('span', {class: 'seg-group-name'}, c.name),
      h('div', {class: 'seg-checks'}, c.segments.map((s) => h('label', {class: 'check seg-check'},
        h('input', {type: 'checkbox', name: 'segments', value: s.id}), s.name))))));
  const chosen = h('span', {class: 'seg-chosen', id: prefix + '-segments-chosen'});
  const boxes = () => [...box.querySelectorAll('input[type="checkbox"]')];
  const paint = () => {
    const names = boxes().filter((b) => b.checked).map((b) => meta.segment(b.value).name);
    chosen.textContent = names.length ? t('form.chosen', names.join(t('sep.list'))) : t('form.noneChosen');
  };
  box.addEventListener('change', paint);
  return {
    el: h('div', {class: 'field field-wide', dataset: {field: 'segments'}},
      h('span', {class: 'field-label'}, t('ledger.col.segments'), ' ', chosen),
      box,
      h('div', {class: 'field-error', dataset: {for: 'segments'}, role: 'alert'})),
    get: () => boxes().filter((b) => b.checked).map((b) => b.value),
    set(ids) {
      const set = new Set(ids || []);
      for (const b of boxes()) {
        b.checked = set.has(b.value);
      }
      paint();
    },
  };
}

// countySelect lists the region itself (市本级 / 省本级) and its areas.
function countySelect(id, meta) {
  return h('select', {class: 'select', id, name: 'county'},
    h('option', {value: meta.region.code}, meta.region.name + ' · ' + regionOwnLabel(meta.region)),
    meta.areaOptions().map((o) => h('option', {value: o.code}, (o.zone ? '\u3000' : '') + o.name)));
}

// enterprisePicker makes input a search over every enterprise: as the
// editor types, up to 20 matches by id, name or USCC fill its list, and
// the name of the enterprise whose id is typed shows below.
export function enterprisePicker(input, chosen) {
  const list = h('datalist', {id: input.id + '-options'});
  input.setAttribute('list', list.id);
  const names = new Map();
  let timer = 0;
  let seq = 0;
  const paint = () => {
    const id = input.value.trim();
    chosen.textContent = !id ? '' : names.has(id) ? names.get(id) : '';
  };
  const run = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      replace(list);
      paint();
      return;
    }
    try {
      const res = await get('/search', {q, kind: 'enterprise', limit: 20});
      if (mine !== seq) {
        return;
      }
      const hits = res.items.filter((x) => x.kind === 'enterprise');
      for (const x of hits) {
        names.set(x.id, x.name);
      }
      replace(list, hits.map((x) => h('option', {value: x.id}, x.name)));
      paint();
    } catch {
      // only a convenience: the field still takes any id
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    paint();
    timer = setTimeout(run, 150);
  });
  return {
    list,
    // set fills the field with an id (and its name, when known).
    set(id, name) {
      input.value = id || '';
      if (id && name) {
        names.set(id, name);
      }
      paint();
      if (id && !name) {
        run();
      }
    },
  };
}

// amountInput is a text field for an amount typed in 亿元 (CNY m).
function amountInput(id, name) {
  return h('input', {class: 'input', id, name, type: 'text', inputmode: 'decimal', autocomplete: 'off'});
}

// SPECS are the records the forms edit: the controls of each and how a
// record goes in and out of them.
const SPECS = {
  project: {
    prefix: 'pf', alertId: 'form-alert', collection: '/projects', amount: 'investment_wan',
    unwrap: (d) => d.project,
    controls(meta) {
      return {
        id: h('input', {class: 'input', id: 'pf-id', name: 'id', required: true, autocomplete: 'off'}),
        name: h('input', {class: 'input', id: 'pf-name', name: 'name', required: true, autocomplete: 'off'}),
        county: countySelect('pf-county', meta),
        investor: h('input', {class: 'input', id: 'pf-investor', name: 'investor', autocomplete: 'off'}),
        investment_wan: amountInput('pf-investment_wan', 'investment_wan'),
        signed: h('input', {class: 'input', id: 'pf-signed', name: 'signed', type: 'date'}),
        started: h('input', {class: 'input', id: 'pf-started', name: 'started', type: 'date'}),
        status: h('select', {class: 'select', id: 'pf-status', name: 'status'}, STATUSES.map((s) => h('option', {value: s}, projectStatusLabel(s)))),
        emerging: h('input', {type: 'checkbox', id: 'pf-emerging', name: 'emerging'}),
        source: h('input', {class: 'input', id: 'pf-source', name: 'source', autocomplete: 'off'}),
        note: h('textarea', {class: 'input', id: 'pf-note', name: 'note', rows: 2}),
      };
    },
    layout(c, segs, picks) {
      const investorName = h('small', {class: 'picked', id: 'pf-investor-name'});
      picks.investor = enterprisePicker(c.investor, investorName);
      return [
        field('pf', 'id', t('ledger.col.id'), c.id),
        field('pf', 'name', t('ledger.col.name'), c.name),
        field('pf', 'county', t('ledger.col.county'), c.county),
        field('pf', 'status', t('ledger.col.status'), c.status),
        field('pf', 'investment_wan', t('form.investment'), c.investment_wan),
        field('pf', 'investor', t('form.investor'), [c.investor, picks.investor.list, investorName], t('form.investorHint')),
        field('pf', 'signed', t('ledger.col.signed'), c.signed),
        field('pf', 'started', t('form.started'), c.started),
        segs.el,
        h('div', {class: 'field', dataset: {field: 'emerging'}}, h('label', {class: 'check'}, c.emerging, t('ledger.col.emerging')),
          h('div', {class: 'field-error', dataset: {for: 'emerging'}, role: 'alert'})),
        field('pf', 'source', t('form.source'), c.source),
        field('pf', 'note', t('form.note'), c.note, null, true),
      ];
    },
    fill(c, p, meta, segs, picks) {
      c.county.value = p ? p.county : (meta.areaOptions()[0] || {code: meta.region.code}).code;
      picks.investor.set(p && p.investor ? p.investor : '');
      for (const k of ['signed', 'started', 'source', 'note']) {
        c[k].value = p && p[k] ? p[k] : '';
      }
      c.status.value = p ? p.status : 'signed';
      c.emerging.checked = Boolean(p && p.emerging);
    },
    read(c, v, out) {
      out.status = c.status.value;
      out.emerging = c.emerging.checked;
      for (const k of ['investor', 'signed', 'started', 'source', 'note']) {
        if (v(k)) {
          out[k] = v(k);
        }
      }
    },
  },
  enterprise: {
    prefix: 'ef', alertId: 'ef-alert', collection: '/enterprises', amount: 'output_wan',
    unwrap: (d) => d.enterprise,
    controls(meta) {
      return {
        id: h('input', {class: 'input', id: 'ef-id', name: 'id', required: true, autocomplete: 'off'}),
        name: h('input', {class: 'input', id: 'ef-name', name: 'name', required: true, autocomplete: 'off'}),
        uscc: h('input', {class: 'input mono', id: 'ef-uscc', name: 'uscc', autocomplete: 'off', maxlength: '18'}),
        county: countySelect('ef-county', meta),
        output_wan: amountInput('ef-output_wan', 'output_wan'),
        leader_of: h('div', {class: 'seg-checks', id: 'ef-leader_of', role: 'group', 'aria-label': t('field.leader_of')},
          meta.chains.map((ch) => h('label', {class: 'check seg-check'}, h('input', {type: 'checkbox', name: 'leader_of', value: ch.id}), ch.name))),
        source: h('input', {class: 'input', id: 'ef-source', name: 'source', autocomplete: 'off'}),
        note: h('textarea', {class: 'input', id: 'ef-note', name: 'note', rows: 2}),
      };
    },
    layout(c, segs) {
      return [
        field('ef', 'id', t('form.enterpriseId'), c.id),
        field('ef', 'name', t('form.enterpriseName'), c.name),
        field('ef', 'uscc', t('field.uscc'), c.uscc, t('form.usccHint')),
        field('ef', 'county', t('ledger.col.county'), c.county),
        field('ef', 'output_wan', t('form.output'), c.output_wan, t('form.investorHint')),
        segs.el,
        h('div', {class: 'field field-wide', dataset: {field: 'leader_of'}},
          h('span', {class: 'field-label'}, t('form.leaderOf')), c.leader_of,
          h('div', {class: 'field-error', dataset: {for: 'leader_of'}, role: 'alert'})),
        field('ef', 'source', t('form.source'), c.source),
        field('ef', 'note', t('form.note'), c.note, null, true),
      ];
    },
    fill(c, e, meta) {
      c.county.value = e ? e.county : (meta.areaOptions()[0] || {code: meta.region.code}).code;
      c.uscc.value = e && e.uscc ? e.uscc : '';
      const leads = new Set(e ? e.leader_of || [] : []);
      for (const b of c.leader_of.querySelectorAll('input')) {
        b.checked = leads.has(b.value);
      }
      c.source.value = e && e.source ? e.source : '';
      c.note.value = e && e.note ? e.note : '';
    },
    read(c, v, out) {
      out.leader_of = [...c.leader_of.querySelectorAll('input')].filter((b) => b.checked).map((b) => b.value);
      for (const k of ['uscc', 'source', 'note']) {
        if (v(k)) {
          out[k] = v(k);
        }
      }
    },
  },
  // A lead 招商线索 (SPEC §1, §9): the target, the county pursuing it,
  // what it would bring, its stage and the day each stage was reached.
  lead: {
    prefix: 'lf2', alertId: 'lf2-alert', collection: '/leads', amount: '', noCascade: true,
    unwrap: (d) => d.lead || d,
    controls(meta) {
      const dates = {};
      for (const st of LEAD_STAGES) {
        dates[st] = h('input', {class: 'input', id: 'lf2-date-' + st, name: 'date-' + st, type: 'date'});
      }
      return {
        id: h('input', {class: 'input', id: 'lf2-id', name: 'id', required: true, autocomplete: 'off'}),
        name: h('input', {class: 'input', id: 'lf2-name', name: 'name', required: true, autocomplete: 'off'}),
        uscc: h('input', {class: 'input mono', id: 'lf2-uscc', name: 'uscc', autocomplete: 'off', maxlength: '18'}),
        enterprise: h('input', {class: 'input', id: 'lf2-enterprise', name: 'enterprise', autocomplete: 'off'}),
        county: countySelect('lf2-county', meta),
        stage: h('select', {class: 'select', id: 'lf2-stage', name: 'stage'}, LEAD_STAGES.map((st) => h('option', {value: st}, leadStageLabel(st)))),
        dates,
        project: h('input', {class: 'input', id: 'lf2-project', name: 'project', autocomplete: 'off'}),
        owner: h('input', {class: 'input', id: 'lf2-owner', name: 'owner', autocomplete: 'off'}),
        reason: h('input', {class: 'input', id: 'lf2-reason', name: 'reason', autocomplete: 'off'}),
        source: h('input', {class: 'input', id: 'lf2-source', name: 'source', autocomplete: 'off'}),
        note: h('textarea', {class: 'input', id: 'lf2-note', name: 'note', rows: 2}),
      };
    },
    layout(c, segs, picks) {
      const entName = h('small', {class: 'picked', id: 'lf2-enterprise-name'});
      picks.enterprise = enterprisePicker(c.enterprise, entName);
      return [
        field('lf2', 'id', t('lead.col.id'), c.id),
        field('lf2', 'name', t('lead.col.name'), c.name),
        field('lf2', 'county', t('lead.col.county'), c.county),
        field('lf2', 'stage', t('lead.col.stage'), c.stage),
        field('lf2', 'enterprise', t('lead.enterprise'), [c.enterprise, picks.enterprise.list, entName], t('lead.enterpriseHint')),
        field('lf2', 'uscc', t('field.uscc'), c.uscc, t('form.usccHint')),
        h('div', {class: 'field field-wide', dataset: {field: 'dates'}},
          h('span', {class: 'field-label'}, t('lead.dates')),
          h('div', {class: 'lead-dates'}, LEAD_STAGES.map((st) => h('label', {class: 'lead-date', dataset: {stage: st}},
            h('span', null, leadStageLabel(st)), c.dates[st],
            // a date's problem names its column, e.g. intent_date (SPEC §3)
            h('div', {class: 'field-error', dataset: {for: st + '_date'}, role: 'alert'})))),
          h('div', {class: 'field-error', dataset: {for: 'dates'}, role: 'alert'})),
        field('lf2', 'project', t('lead.project'), c.project, t('lead.projectHint')),
        field('lf2', 'owner', t('lead.owner'), c.owner),
        field('lf2', 'reason', t('lead.reason'), c.reason, t('lead.reasonHint')),
        segs.el,
        field('lf2', 'source', t('form.source'), c.source),
        field('lf2', 'note', t('form.note'), c.note, null, true),
      ];
    },
    fill(c, l, meta, segs, picks) {
      c.county.value = l ? l.county : (meta.areaOptions()[0] || {code: meta.region.code}).code;
      picks.enterprise.set(l && l.enterprise ? l.enterprise : '');
      c.stage.value = l ? l.stage : 'visited';
      for (const st of LEAD_STAGES) {
        c.dates[st].value = l && l.dates && l.dates[st] ? l.dates[st] : '';
      }
      for (const k of ['uscc', 'project', 'owner', 'reason', 'source', 'note']) {
        c[k].value = l && l[k] ? l[k] : '';
      }
    },
    // preset fills a new lead from a gap-filling target: its name, the
    // stored enterprise it is, the county pursuing it, the segment.
    preset(c, p, segs, picks) {
      // a suggested id (L-date-nnn): the editor may type another
      c.id.value = 'L-' + (p.today || '').replace(/-/g, '') + '-' + String(Date.now() % 1000).padStart(3, '0');
      c.name.value = p.name || '';
      if (p.enterprise) {
        picks.enterprise.set(p.enterprise, p.name);
      }
      if (p.county) {
        c.county.value = p.county;
      }
      if (p.segments) {
        segs.set(p.segments);
      }
      c.dates.visited.value = p.today || '';
    },
    read(c, v, out) {
      out.stage = c.stage.value;
      const dates = {};
      for (const st of LEAD_STAGES) {
        if (c.dates[st].value) {
          dates[st] = c.dates[st].value;
        }
      }
      out.dates = dates;
      for (const k of ['uscc', 'enterprise', 'project', 'owner', 'reason', 'source', 'note']) {
        if (v(k)) {
          out[k] = v(k);
        }
      }
    },
  },
};

// recordDialog is the create/edit form of a project or an enterprise
// (kind), in a modal dialog; links(rec) adds the record's supply links
// under the form. After a save it closes, toasts and re-renders the view.
export function recordDialog(kind, meta, ctx, {linkDialog} = {}) {
  const spec = SPECS[kind];
  const P = spec.prefix;
  const segs = segmentPicker(P, meta);
  const picks = {};
  const ctl = spec.controls(meta);
  const alert = h('div', {class: 'form-alert', id: spec.alertId, role: 'alert', hidden: true});
  const title = h('h2', {id: kind + '-dialog-title'});
  const save = h('button', {type: 'submit', class: 'btn btn-primary', id: kind + '-save'}, t('form.save'));
  const cancel = h('button', {type: 'button', class: 'btn', id: kind + '-cancel'}, t('form.cancel'));
  const del = h('button', {type: 'button', class: 'btn btn-danger', id: kind + '-delete'}, t('form.delete.' + kind));
  const cascade = h('input', {type: 'checkbox', id: P + '-cascade'});
  const confirmDel = h('button', {type: 'button', class: 'btn btn-danger', id: kind + '-delete-confirm'}, t('form.deleteConfirm'));
  const confirmBox = h('div', {class: 'confirm', hidden: true},
    h('p', null, t('form.deleteQuestion.' + kind)),
    spec.noCascade ? null : h('label', {class: 'check'}, cascade, t('form.cascade')),
    confirmDel);
  // The confirmation an amount far from the previous one asks for.
  const scaleText = h('p', {id: P + '-scale-text'});
  const scaleYes = h('button', {type: 'button', class: 'btn btn-primary', id: P + '-scale-confirm'}, t('form.scaleYes'));
  const scaleNo = h('button', {type: 'button', class: 'btn', id: P + '-scale-cancel'}, t('form.scaleNo'));
  const scaleBox = h('div', {class: 'confirm confirm-warn', id: P + '-scale', role: 'alertdialog', hidden: true},
    scaleText, h('div', {class: 'row'}, scaleYes, scaleNo));
  const linksBox = h('section', {class: 'rec-links', id: P + '-links'});
  const historyBox = h('details', {class: 'hist-details', id: P + '-history'}, h('summary', null, t('hist.title')));
  const form = h('form', {class: 'project-form', id: kind + '-form', novalidate: true},
    h('div', {class: 'form-head'}, title), h('div', {class: 'form-body'}, alert,
      h('div', {class: 'form-grid'}, spec.layout(ctl, segs, picks)),
      scaleBox,
      confirmBox,
      linksBox,
      historyBox),
    h('div', {class: 'form-actions'}, del, h('span', {class: 'spacer'}), cancel, save));
  const el = h('dialog', {class: 'dialog', id: kind + '-dialog', 'aria-labelledby': kind + '-dialog-title'}, form);

  let editingId = null;
  let etag = '';      // the ETag of the version the form was filled from
  let opened = null;  // that version, to tell what others changed since
  let confirmedWan = null; // the amount the editor has confirmed

  const errors = formErrors(form, alert);

  // fetchLatest reads the record as stored now, with its ETag; null when
  // it has been deleted.
  const fetchLatest = async () => {
    try {
      const {data, etag: tag} = await getVersioned(spec.collection + '/' + encodeURIComponent(editingId));
      return {record: spec.unwrap(data), etag: tag};
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        return null;
      }
      throw err;
    }
  };

  const showError = (err) => {
    if (err instanceof ApiError && err.status === 412) {
      errors.show(err);
      staleNotice(err);
      return;
    }
    errors.show(err);
  };

  // staleNotice shows a 412: the server's message, what the other editor
  // changed, and a button that loads their version into the form.
  const staleNotice = async (err) => {
    const id = editingId;
    const reload = h('button', {type: 'button', class: 'btn btn-small', id: kind + '-reload'}, t('form.reload'));
    const others = h('div', {class: 'stale-changes'});
    const gone = () => {
      replace(others, h('p', null, t('form.staleGone.' + kind)));
      reload.hidden = true;
    };
    reload.addEventListener('click', async () => {
      reload.disabled = true;
      try {
        const now = await fetchLatest();
        if (!now) {
          gone();
          return;
        }
        errors.clear();
        fill(now.record, now.etag);
        alert.classList.add('is-info');
        replace(alert, t('form.reloaded'));
        alert.hidden = false;
        ctl.name.focus();
      } catch (e) {
        showError(e);
      } finally {
        reload.disabled = false;
      }
    });
    replace(alert, h('strong', null, t('form.refused', err.status)), ' ', err.message, others,
      h('div', {class: 'stale-actions'}, reload, h('small', null, t('form.reloadHint'))));
    alert.hidden = false;
    alert.scrollIntoView({block: 'nearest'});
    let latest;
    try {
      latest = await fetchLatest();
    } catch {
      return; // the message and the button stand
    }
    if (id !== editingId || !others.isConnected) {
      return;
    }
    if (!latest) {
      gone();
      return;
    }
    const changes = fieldChanges(opened, latest.record);
    if (changes.length) {
      replace(others, h('p', null, t('form.staleChanged')), fieldTable(changes, meta));
    }
  };

  // body is the record as the form holds it; an amount that is no number
  // is a problem of its field, said before anything is sent.
  const body = () => {
    const v = (k) => ctl[k].value.trim();
    const out = {id: v('id'), name: v('name'), county: ctl.county.value, segments: segs.get()};
    spec.read(ctl, v, out);
    const typed = spec.amount ? ctl[spec.amount].value.trim() : '';
    if (typed !== '') {
      const w = wanFromInput(typed);
      if (Number.isNaN(w)) {
        throw new ApiError(422, t('form.notNumber'), [{column: spec.amount, value: typed, message: t('form.notNumberField', amountUnit())}]);
      }
      out[spec.amount] = w;
    }
    return out;
  };

  const done = (message, warn) => {
    el.close();
    ctx.toast(message, warn);
    ctx.rerender();
  };

  const submit = async () => {
    errors.clear();
    save.disabled = true;
    try {
      const b = body();
      const before = opened && spec.amount ? opened[spec.amount] : undefined;
      const jump = spec.amount ? scaleJump(before, b[spec.amount]) : 0;
      if (jump && confirmedWan !== b[spec.amount]) {
        scaleText.textContent = t('form.scaleQuestion', yi(before), yi(b[spec.amount]), num(Math.round(jump)));
        scaleBox.hidden = false;
        scaleBox.scrollIntoView({block: 'nearest'});
        scaleYes.focus();
        return;
      }
      scaleBox.hidden = true;
      const path = spec.collection + (editingId ? '/' + encodeURIComponent(editingId) : '');
      const res = editingId
        ? await send('PUT', path, b, undefined, {ifMatch: etag})
        : await send('POST', path, b);
      const warnings = (res && res.warnings) || [];
      const warn = warnings.map((w) => (w.code && t('warn.' + w.code) !== 'warn.' + w.code ? t('warn.' + w.code) : w.message)).join(' ');
      done(t('form.saved', b.name) + (warn ? ' · ' + warn : ''), Boolean(warn));
    } catch (err) {
      showError(err);
    } finally {
      save.disabled = false;
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit();
  });
  scaleYes.addEventListener('click', () => {
    const typed = ctl[spec.amount].value.trim();
    confirmedWan = wanFromInput(typed);
    scaleBox.hidden = true;
    submit();
  });
  scaleNo.addEventListener('click', () => {
    scaleBox.hidden = true;
    ctl[spec.amount].focus();
    ctl[spec.amount].select();
  });
  cancel.addEventListener('click', () => el.close());
  del.addEventListener('click', () => {
    confirmBox.hidden = !confirmBox.hidden;
  });
  confirmDel.addEventListener('click', async () => {
    errors.clear();
    try {
      await send('DELETE', spec.collection + '/' + encodeURIComponent(editingId), undefined, {cascade: cascade.checked ? 'true' : ''}, {ifMatch: etag});
      done(t('form.deleted', editingId));
    } catch (err) {
      showError(err);
    }
  });

  // The history is read when it is first unfolded.
  historyBox.addEventListener('toggle', () => {
    if (historyBox.open && editingId && !historyBox.querySelector('.hist')) {
      historyBox.appendChild(historySection(kind, editingId, meta, ctx.signal));
    }
  });

  // fill puts a record (null: a new one) into the form; tag is the ETag
  // of the version it is.
  const fill = (r, tag, links) => {
    etag = tag || '';
    opened = r;
    confirmedWan = null;
    editingId = r ? r.id : null;
    title.textContent = r ? t('form.editTitle.' + kind, r.id) : t('form.newTitle.' + kind);
    ctl.id.value = r ? r.id : '';
    ctl.id.readOnly = Boolean(r);
    ctl.name.value = r ? r.name : '';
    segs.set(r ? r.segments : []);
    if (spec.amount) {
      ctl[spec.amount].value = r && r[spec.amount] !== undefined && r[spec.amount] !== null ? inputFromWan(r[spec.amount]) : '';
    }
    spec.fill(ctl, r, meta, segs, picks);
    del.hidden = !r;
    confirmBox.hidden = true;
    scaleBox.hidden = true;
    cascade.checked = false;
    historyBox.hidden = !r;
    historyBox.open = false;
    for (const old of historyBox.querySelectorAll('.hist')) {
      old.remove();
    }
    replace(linksBox);
    if (r && links && linkDialog) {
      linksBox.appendChild(linkList(r.id, links, linkDialog));
    }
  };

  return {
    el,
    // open shows the form: empty for a new record, else filled from the
    // record as stored now (rec is the ledger's row), with its ETag.
    async open(rec, preset) {
      errors.clear();
      if (rec) {
        try {
          const {data, etag: tag} = await getVersioned(spec.collection + '/' + encodeURIComponent(rec.id), ctx.signal);
          fill(spec.unwrap(data), tag, [...(data.suppliers || []), ...(data.customers || [])]);
        } catch (err) {
          if (err.name !== 'AbortError') {
            ctx.toast(t('form.openFailed', err.message), true);
          }
          return;
        }
      } else {
        fill(null, '');
        if (preset && spec.preset) {
          spec.preset(ctl, preset, segs, picks);
        }
      }
      el.showModal();
      (rec ? ctl.name : ctl.id).focus();
    },
  };
}

// formErrors puts each problem of a refused save next to its field (the
// API names the field as the problem's column); the rest, and errors
// without problems, go to the alert at the top of the form.
function formErrors(form, alert) {
  const clear = () => {
    alert.hidden = true;
    alert.classList.remove('is-info');
    replace(alert);
    for (const e of form.querySelectorAll('.field-error')) {
      replace(e);
    }
    for (const e of form.querySelectorAll('.has-error')) {
      e.classList.remove('has-error');
    }
  };
  const show = (err) => {
    clear();
    const general = [];
    const problems = err instanceof ApiError ? err.problems : [];
    for (const p of problems) {
      const slot = form.querySelector(`.field-error[data-for="${CSS.escape(p.column || '')}"]`);
      const text = p.value ? t('form.problemValue', p.message, p.value) : p.message;
      if (slot) {
        slot.appendChild(h('div', null, text));
        slot.closest('.field').classList.add('has-error');
      } else {
        general.push(text);
      }
    }
    if (err instanceof ApiError && err.status === 412) {
      return;
    }
    const idSlot = form.querySelector('.field-error[data-for="id"]');
    if (err instanceof ApiError && err.status === 409 && idSlot) {
      idSlot.appendChild(h('div', null, err.message));
      idSlot.closest('.field').classList.add('has-error');
    } else if (!problems.length || general.length) {
      const msg = err instanceof ApiError && err.status === 0 ? t('error.network') : err.message;
      replace(alert, h('strong', null, t('form.refused', err.status || '')), ' ', msg,
        general.length ? h('ul', null, general.map((g) => h('li', null, g))) : null);
      alert.hidden = false;
    }
  };
  return {clear, show};
}

// partnerName is the name of an enterprise or project id, by the search
// ('' when it finds none).
async function partnerName(id) {
  try {
    const res = await get('/search', {q: id, limit: 10});
    const hit = res.items.find((x) => x.id === id && (x.kind === 'enterprise' || x.kind === 'project'));
    return hit ? hit.name : '';
  } catch {
    return '';
  }
}

// linkList is the supply links of a record in its form: each with the
// partner and product, a button to edit it, and one to add a link.
function linkList(id, links, linkDialog) {
  const add = (dir) => {
    const b = h('button', {type: 'button', class: 'btn btn-small', dataset: {linkNew: dir}}, t(dir === 'from' ? 'link.newSupplier' : 'link.newCustomer'));
    b.addEventListener('click', () => linkDialog.open(null, dir === 'from' ? {to: id} : {from: id}));
    return b;
  };
  return h('div', null,
    h('h3', null, t('link.title'), ' ', h('small', {class: 'muted'}, t('link.count', num(links.length)))),
    links.length ? h('ul', {class: 'plain-list link-list'}, links.map((l) => {
      const edit = h('button', {type: 'button', class: 'btn btn-small btn-ghost', dataset: {linkEdit: l.from + '→' + l.to}}, t('ledger.edit'));
      edit.addEventListener('click', () => linkDialog.open(l));
      const partner = l.from === id ? l.to : l.from;
      const name = h('span', {class: 'link-partner'});
      partnerName(partner).then((n) => {
        name.textContent = n ? n + ' ' : '';
      });
      return h('li', {dataset: {from: l.from, to: l.to}},
        h('span', {class: 'muted small'}, t(l.from === id ? 'link.customer' : 'link.supplier')), ' ', name,
        h('span', {class: 'mono small muted'}, partner),
        l.product ? h('span', {class: 'muted'}, ' · ' + l.product) : null, ' ', edit);
    })) : h('p', {class: 'muted small'}, t('panel.none')),
    h('div', {class: 'row'}, add('from'), add('to')));
}

// linkDialogOf is the form of one supply link (from, to, product, source,
// note): created with POST, its product changed with PUT, deleted with
// DELETE /api/v1/links?from=&to=. The ends are picked from every
// enterprise; a project end is typed by its id.
export function linkDialogOf(meta, ctx) {
  const ctl = {
    from: h('input', {class: 'input', id: 'lf-from', name: 'from', autocomplete: 'off', required: true}),
    to: h('input', {class: 'input', id: 'lf-to', name: 'to', autocomplete: 'off', required: true}),
    product: h('input', {class: 'input', id: 'lf-product', name: 'product', autocomplete: 'off'}),
    source: h('input', {class: 'input', id: 'lf-source', name: 'source', autocomplete: 'off'}),
    note: h('textarea', {class: 'input', id: 'lf-note', name: 'note', rows: 2}),
  };
  const fromName = h('small', {class: 'picked', id: 'lf-from-name'});
  const toName = h('small', {class: 'picked', id: 'lf-to-name'});
  const fromPick = enterprisePicker(ctl.from, fromName);
  const toPick = enterprisePicker(ctl.to, toName);
  const alert = h('div', {class: 'form-alert', id: 'lf-alert', role: 'alert', hidden: true});
  const title = h('h2', {id: 'link-dialog-title'});
  const save = h('button', {type: 'submit', class: 'btn btn-primary', id: 'link-save'}, t('form.save'));
  const cancel = h('button', {type: 'button', class: 'btn', id: 'link-cancel'}, t('form.cancel'));
  const del = h('button', {type: 'button', class: 'btn btn-danger', id: 'link-delete'}, t('form.delete.link'));
  const confirmDel = h('button', {type: 'button', class: 'btn btn-danger', id: 'link-delete-confirm'}, t('form.deleteConfirm'));
  const confirmBox = h('div', {class: 'confirm', hidden: true}, h('p', null, t('form.deleteQuestion.link')), confirmDel);
  const historyBox = h('details', {class: 'hist-details', id: 'lf-history'}, h('summary', null, t('hist.title')));
  const pickField = (name, label, control, pick, picked) => field('lf', name, label, [control, pick.list, picked], t('link.pickHint'));
  const form = h('form', {class: 'project-form', id: 'link-form', novalidate: true},
    h('div', {class: 'form-head'}, title), h('div', {class: 'form-body'}, alert,
      h('div', {class: 'form-grid'},
        pickField('from', t('link.from'), ctl.from, fromPick, fromName),
        pickField('to', t('link.to'), ctl.to, toPick, toName),
        field('lf', 'product', t('link.product'), ctl.product),
        field('lf', 'source', t('form.source'), ctl.source),
        field('lf', 'note', t('form.note'), ctl.note, null, true)),
      confirmBox,
      historyBox),
    h('div', {class: 'form-actions'}, del, h('span', {class: 'spacer'}), cancel, save));
  const el = h('dialog', {class: 'dialog', id: 'link-dialog', 'aria-labelledby': 'link-dialog-title'}, form);
  const errors = formErrors(form, alert);
  let key = null; // {from, to} of the link edited; null for a new one
  // The version of the link the form holds (SPEC §8): read when the form
  // opens, sent back as If-Match, so that a change someone else saved
  // meanwhile is refused (412) rather than overwritten.
  let version = Promise.resolve('');

  const fillFields = (l) => {
    for (const k of ['product', 'source', 'note']) {
      ctl[k].value = l[k] || '';
    }
  };
  // latest reads the link as stored now; its fields go into the form.
  const latest = () => getVersioned('/link', undefined, key).then(({data, etag}) => {
    fillFields(data);
    return etag;
  });
  const ifMatch = async () => {
    try {
      return {ifMatch: await version};
    } catch {
      return {}; // not read (deleted, or the network): the save says why
    }
  };
  // stale shows a 412: the server's message and a button that loads the
  // version someone else saved into the form.
  const stale = (err) => {
    const reload = h('button', {type: 'button', class: 'btn btn-small', id: 'link-reload'}, t('form.reload'));
    reload.addEventListener('click', async () => {
      reload.disabled = true;
      version = latest();
      try {
        await version;
        errors.clear();
        alert.classList.add('is-info');
        replace(alert, t('form.reloaded'));
        alert.hidden = false;
        ctl.product.focus();
      } catch (e) {
        errors.show(e);
      } finally {
        reload.disabled = false;
      }
    });
    replace(alert, h('strong', null, t('form.refused', err.status)), ' ', err.message,
      h('div', {class: 'stale-actions'}, reload, h('small', null, t('form.reloadHint'))));
    alert.hidden = false;
  };
  const showError = (err) => {
    errors.show(err);
    if (err instanceof ApiError && err.status === 412) {
      stale(err);
    }
  };

  const done = (message) => {
    el.close();
    for (const d of document.querySelectorAll('dialog[open]')) {
      d.close();
    }
    ctx.toast(message);
    ctx.rerender();
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.clear();
    save.disabled = true;
    const b = {from: ctl.from.value.trim(), to: ctl.to.value.trim()};
    for (const k of ['product', 'source', 'note']) {
      if (ctl[k].value.trim()) {
        b[k] = ctl[k].value.trim();
      }
    }
    try {
      if (key) {
        await send('PUT', '/links', b, key, await ifMatch());
      } else {
        await send('POST', '/links', b);
      }
      done(t('link.saved', b.from, b.to));
    } catch (err) {
      showError(err);
    } finally {
      save.disabled = false;
    }
  });
  cancel.addEventListener('click', () => el.close());
  del.addEventListener('click', () => {
    confirmBox.hidden = !confirmBox.hidden;
  });
  confirmDel.addEventListener('click', async () => {
    errors.clear();
    try {
      await send('DELETE', '/links', undefined, key, await ifMatch());
      done(t('link.deleted', key.from, key.to));
    } catch (err) {
      showError(err);
    }
  });
  historyBox.addEventListener('toggle', () => {
    if (historyBox.open && key && !historyBox.querySelector('.hist')) {
      historyBox.appendChild(historySection('link', '', meta, ctx.signal, key));
    }
  });

  return {
    el,
    // open shows the form of link l (null: a new one, with the ends in
    // preset filled in).
    open(l, preset) {
      errors.clear();
      key = l ? {from: l.from, to: l.to} : null;
      title.textContent = l ? t('link.editTitle') : t('link.newTitle');
      const r = l || preset || {};
      fromPick.set(r.from || '');
      toPick.set(r.to || '');
      ctl.from.readOnly = Boolean(l);
      ctl.to.readOnly = Boolean(l);
      fillFields(r);
      version = Promise.resolve('');
      if (key) {
        // The fields show the version whose ETag goes back as If-Match:
        // held until it is read (a moment), so nothing typed is replaced.
        const held = [ctl.product, ctl.source, ctl.note];
        for (const c of held) {
          c.readOnly = true;
        }
        save.disabled = true;
        const opened = key;
        version = latest();
        version.catch((err) => {
          if (key === opened) {
            errors.show(err);
          }
        }).finally(() => {
          for (const c of held) {
            c.readOnly = false;
          }
          save.disabled = false;
        });
      }
      del.hidden = !l;
      confirmBox.hidden = true;
      historyBox.hidden = !l;
      historyBox.open = false;
      for (const old of historyBox.querySelectorAll('.hist')) {
        old.remove();
      }
      el.showModal();
      (l ? ctl.product : r.from ? ctl.to : ctl.from).focus();
    },
  };
}
