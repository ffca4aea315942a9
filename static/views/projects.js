// projects.js — 项目台账: the project ledger (GET /api/v1/projects) with
// filters by county, chain, status, emerging industry, signing dates and
// text, paging and sorting; each project's 修改历史. With an editor token
// (entered in the header, kept in sessionStorage) projects can be created,
// changed and deleted — not while the page shows the past (?as_of=); the
// API's problems are shown next to the field they name. An edit sends
// back the ETag the project was read with (If-Match), so a change someone
// else saved in between is refused (412), never overwritten.

import {h, replace, add} from '../dom.js';
import {get, getVersioned, send, token, asOf, ApiError} from '../api.js';
import {t, num, yiNum, projectStatusLabel, STATUSES} from '../i18n.js';
import {href, navigate, current} from '../router.js';
import {loadMeta} from '../meta.js';
import {historySection, fieldChanges, fieldTable} from './history.js';

const FILTERS = ['q', 'county', 'chain', 'status', 'emerging', 'signed_from', 'signed_to'];
// SORTABLE are the columns the ledger sorts by; the API sorts every
// matching project (sort, dir) before it cuts the page, so a sort spans
// all pages, ties in id order.
const SORTABLE = new Set(['id', 'name', 'county', 'investment_wan', 'signed', 'status']);

function paramsOf(params) {
  const f = {};
  for (const k of FILTERS) {
    if (params.get(k)) {
      f[k] = params.get(k);
    }
  }
  return f;
}

async function load(filters, page, perPage, sort, dir, signal) {
  const order = SORTABLE.has(sort) ? {sort, dir} : {};
  return get('/projects', {...filters, ...order, page, per_page: perPage}, signal);
}

export async function render(root, params, ctx) {
  const meta = await loadMeta();
  const filters = paramsOf(params);
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const perPage = [20, 50, 100].includes(Number(params.get('per_page'))) ? Number(params.get('per_page')) : 20;
  const sort = params.get('sort') || '';
  const dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  const res = await load(filters, page, perPage, sort, dir, ctx.signal);
  const past = Boolean(asOf());
  const editing = Boolean(token()) && !past;
  document.addEventListener('tokenchange', () => ctx.rerender(), {signal: ctx.signal});

  const dialog = projectDialog(meta, ctx);
  const details = recordDialog(meta, ctx);
  const addBtn = editing ? h('button', {type: 'button', class: 'btn btn-primary', id: 'project-new'}, t('ledger.new')) : null;
  if (addBtn) {
    addBtn.addEventListener('click', () => dialog.open(null));
  }

  add(root,
    h('div', {class: 'page-head page-head-row'},
      h('div', null,
        h('h1', null, t('ledger.title')),
        h('p', {class: 'page-sub', id: 'ledger-sub'}, past ? t('ledger.subPast') : editing ? t('ledger.subEdit') : t('ledger.subRead'))),
      h('div', {class: 'toolbar'}, addBtn)),
    filterForm(meta, filters, perPage, sort, dir),
    h('section', {class: 'card'},
      h('div', {class: 'card-head'},
        h('h2', {id: 'ledger-count'}, t('ledger.count', num(res.total)))),
      res.items.length ? ledgerTable(res.items, meta, editing, sort, dir, dialog, details) : h('p', {class: 'muted'}, t('ledger.none')),
      pager(page, perPage, res.total)),
    dialog.el,
    details.el);
}

function filterForm(meta, f, perPage, sort, dir) {
  const input = (name, type, label, attrs) => h('label', {class: 'field'}, h('span', null, label),
    h('input', {class: 'input', name, type, value: f[name] || '', ...attrs}));
  const select = (name, label, options) => {
    const s = h('select', {class: 'select', name}, options.map(([v, text]) => h('option', {value: v}, text)));
    s.value = f[name] || '';
    return h('label', {class: 'field'}, h('span', null, label), s);
  };
  const perSel = h('select', {class: 'select', name: 'per_page'}, [20, 50, 100].map((n) => h('option', {value: n}, t('ledger.perPage', n))));
  perSel.value = String(perPage);
  const form = h('form', {class: 'filters card', id: 'ledger-filters', role: 'search'},
    input('q', 'search', t('ledger.q'), {placeholder: t('ledger.qPlaceholder')}),
    select('county', t('ledger.county'), [['', t('all')], [meta.region.code, meta.region.name + ' · ' + t('ledger.cityLevel')],
      ...meta.areaOptions().map((o) => [o.code, (o.zone ? '\u3000' : '') + o.name])]),
    select('chain', t('ledger.chain'), [['', t('all')], ...meta.chains.map((c) => [c.id, c.name])]),
    select('status', t('ledger.status'), [['', t('all')], ...STATUSES.map((s) => [s, projectStatusLabel(s)])]),
    select('emerging', t('ledger.emerging'), [['', t('all')], ['true', t('yes')], ['false', t('no')]]),
    input('signed_from', 'date', t('ledger.signedFrom')),
    input('signed_to', 'date', t('ledger.signedTo')),
    h('label', {class: 'field'}, h('span', null, t('ledger.pageSize')), perSel),
    h('div', {class: 'field field-actions'},
      h('button', {type: 'submit', class: 'btn btn-primary'}, t('ledger.apply')),
      h('a', {class: 'btn', href: href('projects')}, t('ledger.reset'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    navigate(href('projects', {...data, per_page: data.per_page === '20' ? '' : data.per_page, sort, dir: sort ? dir : ''}));
  });
  return form;
}

function ledgerTable(items, meta, editing, sort, dir, dialog, details) {
  const {params} = current();
  const sortLink = (key, label, cls) => {
    const next = sort === key && dir === 'asc' ? 'desc' : 'asc';
    const p = Object.fromEntries(params);
    const mark = sort === key ? (dir === 'asc' ? ' ▲' : ' ▼') : '';
    return h('th', {scope: 'col', class: cls, 'aria-sort': sort === key ? (dir === 'asc' ? 'ascending' : 'descending') : null},
      h('a', {href: href('projects', {...p, sort: key, dir: next, page: ''}), class: 'sort-link', dataset: {sort: key}}, label + mark));
  };
  return h('div', {class: 'table-wrap'}, h('table', {class: 'table ledger', id: 'ledger-table'},
    h('thead', null, h('tr', null,
      sortLink('id', t('ledger.col.id')),
      sortLink('name', t('ledger.col.name')),
      sortLink('county', t('ledger.col.county')),
      h('th', {scope: 'col'}, t('ledger.col.segments')),
      sortLink('investment_wan', t('ledger.col.investment'), 'num'),
      sortLink('signed', t('ledger.col.signed')),
      sortLink('status', t('ledger.col.status')),
      h('th', {scope: 'col'}, t('ledger.col.emerging')),
      h('th', {scope: 'col'}, t('ledger.col.actions')))),
    h('tbody', null, items.map((p) => {
      let edit = null;
      if (editing) {
        edit = h('button', {type: 'button', class: 'btn btn-small', dataset: {edit: p.id}}, t('ledger.edit'));
        edit.addEventListener('click', async () => {
          edit.disabled = true;
          try {
            await dialog.open(p);
          } finally {
            edit.disabled = false;
          }
        });
      }
      const hist = h('button', {type: 'button', class: 'btn btn-small btn-ghost', dataset: {history: p.id}}, t('ledger.history'));
      hist.addEventListener('click', () => details.open(p));
      const segs = (p.segments || []).map((s) => meta.segment(s)).filter(Boolean);
      return h('tr', {dataset: {id: p.id}},
        h('td', {class: 'mono small'}, p.id),
        h('td', {class: 'ledger-name'}, segs.length
          ? h('a', {href: href('panorama', {area: meta.areaOf(p.county), chain: segs[0].chain, node: p.id, kind: 'project'})}, p.name)
          : p.name),
        h('td', null, meta.areaName(p.county)),
        h('td', {class: 'small'}, segs.map((s) => s.name).join('、')),
        h('td', {class: 'num'}, p.investment_wan === undefined ? '—' : yiNum(p.investment_wan)),
        h('td', {class: 'nowrap'}, p.signed || '—'),
        h('td', null, h('span', {class: ['badge', 'badge-project-' + p.status]}, projectStatusLabel(p.status))),
        h('td', null, p.emerging ? '✓' : ''),
        h('td', {class: 'nowrap'}, edit, edit ? ' ' : null, hist));
    }))));
}

function pager(page, perPage, total) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const {params} = current();
  const to = (n) => href('projects', {...Object.fromEntries(params), page: n === 1 ? '' : n});
  return h('nav', {class: 'pager', 'aria-label': t('ledger.pages')},
    page > 1 ? h('a', {class: 'btn', href: to(page - 1), rel: 'prev'}, t('ledger.prev')) : h('span', {class: 'btn is-disabled'}, t('ledger.prev')),
    h('span', {class: 'pager-info'}, t('ledger.pageOf', num(page), num(pages))),
    page < pages ? h('a', {class: 'btn', href: to(page + 1), rel: 'next'}, t('ledger.next')) : h('span', {class: 'btn is-disabled'}, t('ledger.next')));
}

// projectDialog is the create/edit form of a project, in a modal dialog.
// It sends the record as the API's JSON (SPEC §2) and shows each problem
// the API reports next to the field it names. An edit reads the project
// afresh when the form opens and sends its ETag back as If-Match; when
// someone else saved it in between (412) the form says what they changed
// and offers to load their version.
function projectDialog(meta, ctx) {
  const field = (name, label, control, hint) => h('div', {class: 'field', dataset: {field: name}},
    h('label', {for: 'pf-' + name}, label), control, hint ? h('small', {class: 'muted'}, hint) : null,
    h('div', {class: 'field-error', dataset: {for: name}, role: 'alert'}));
  const ctl = {
    id: h('input', {class: 'input', id: 'pf-id', name: 'id', required: true, autocomplete: 'off'}),
    name: h('input', {class: 'input', id: 'pf-name', name: 'name', required: true, autocomplete: 'off'}),
    county: h('select', {class: 'select', id: 'pf-county', name: 'county'},
      h('option', {value: meta.region.code}, meta.region.name + ' · ' + t('ledger.cityLevel')),
      meta.areaOptions().map((o) => h('option', {value: o.code}, (o.zone ? '\u3000' : '') + o.name))),
    segments: h('div', {class: 'seg-picker', id: 'pf-segments', role: 'group', 'aria-label': t('ledger.col.segments')},
      meta.chains.map((c) => h('div', {class: 'seg-group'},
        h('span', {class: 'seg-group-name'}, c.name),
        h('div', {class: 'seg-checks'}, c.segments.map((s) => h('label', {class: 'check seg-check'},
          h('input', {type: 'checkbox', name: 'segments', value: s.id}), s.name)))))),
    investor: h('input', {class: 'input', id: 'pf-investor', name: 'investor', list: 'pf-investors', autocomplete: 'off'}),
    investment_wan: h('input', {class: 'input', id: 'pf-investment_wan', name: 'investment_wan', type: 'number', step: 'any'}),
    signed: h('input', {class: 'input', id: 'pf-signed', name: 'signed', type: 'date'}),
    started: h('input', {class: 'input', id: 'pf-started', name: 'started', type: 'date'}),
    status: h('select', {class: 'select', id: 'pf-status', name: 'status'}, STATUSES.map((s) => h('option', {value: s}, projectStatusLabel(s)))),
    emerging: h('input', {type: 'checkbox', id: 'pf-emerging', name: 'emerging'}),
    source: h('input', {class: 'input', id: 'pf-source', name: 'source', autocomplete: 'off'}),
    note: h('textarea', {class: 'input', id: 'pf-note', name: 'note', rows: 2}),
  };
  const investors = h('datalist', {id: 'pf-investors'});
  const alert = h('div', {class: 'form-alert', id: 'form-alert', role: 'alert', hidden: true});
  const title = h('h2', {id: 'project-dialog-title'});
  const save = h('button', {type: 'submit', class: 'btn btn-primary', id: 'project-save'}, t('form.save'));
  const cancel = h('button', {type: 'button', class: 'btn', id: 'project-cancel'}, t('form.cancel'));
  const del = h('button', {type: 'button', class: 'btn btn-danger', id: 'project-delete'}, t('form.delete'));
  const cascade = h('input', {type: 'checkbox', id: 'pf-cascade'});
  const confirmDel = h('button', {type: 'button', class: 'btn btn-danger', id: 'project-delete-confirm'}, t('form.deleteConfirm'));
  const confirmBox = h('div', {class: 'confirm', hidden: true},
    h('p', null, t('form.deleteQuestion')),
    h('label', {class: 'check'}, cascade, t('form.cascade')),
    confirmDel);
  const historyBox = h('details', {class: 'hist-details', id: 'pf-history'}, h('summary', null, t('hist.title')));
  const form = h('form', {class: 'project-form', id: 'project-form', novalidate: true},
    h('div', {class: 'form-head'}, title), h('div', {class: 'form-body'}, alert,
    h('div', {class: 'form-grid'},
      field('id', t('ledger.col.id'), ctl.id),
      field('name', t('ledger.col.name'), ctl.name),
      field('county', t('ledger.col.county'), ctl.county),
      field('status', t('ledger.col.status'), ctl.status),
      field('investment_wan', t('form.investment'), ctl.investment_wan),
      field('investor', t('form.investor'), ctl.investor, t('form.investorHint')),
      field('signed', t('ledger.col.signed'), ctl.signed),
      field('started', t('form.started'), ctl.started),
      h('div', {class: 'field field-wide', dataset: {field: 'segments'}},
        h('span', {class: 'field-label'}, t('ledger.col.segments'), ' ', h('span', {class: 'seg-chosen', id: 'pf-segments-chosen'})),
        ctl.segments,
        h('div', {class: 'field-error', dataset: {for: 'segments'}, role: 'alert'})),
      h('div', {class: 'field', dataset: {field: 'emerging'}}, h('label', {class: 'check'}, ctl.emerging, t('ledger.col.emerging')),
        h('div', {class: 'field-error', dataset: {for: 'emerging'}, role: 'alert'})),
      field('source', t('form.source'), ctl.source),
      h('div', {class: 'field field-wide', dataset: {field: 'note'}}, h('label', {for: 'pf-note'}, t('form.note')), ctl.note,
        h('div', {class: 'field-error', dataset: {for: 'note'}, role: 'alert'}))),
    confirmBox,
    historyBox),
    h('div', {class: 'form-actions'}, del, h('span', {class: 'spacer'}), cancel, save),
    investors);
  const el = h('dialog', {class: 'dialog', id: 'project-dialog', 'aria-labelledby': 'project-dialog-title'}, form);

  let editingId = null;
  let etag = '';      // the ETag of the version the form was filled from
  let opened = null;  // that version, to tell what others changed since

  const segmentBoxes = () => [...ctl.segments.querySelectorAll('input[type="checkbox"]')];
  // The chosen segments, named beside the label, so a choice scrolled
  // out of the picker stays in view.
  const chosen = form.querySelector('#pf-segments-chosen');
  const paintChosen = () => {
    const names = segmentBoxes().filter((b) => b.checked).map((b) => meta.segment(b.value).name);
    chosen.textContent = names.length ? t('form.chosen', names.join('、')) : t('form.noneChosen');
  };
  ctl.segments.addEventListener('change', paintChosen);

  const clearErrors = () => {
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

  // showError puts each problem next to its field (the API names the
  // field as the problem's column); the rest, and errors without
  // problems, go to the alert at the top of the form.
  const showError = (err) => {
    clearErrors();
    const general = [];
    const problems = err instanceof ApiError ? err.problems : [];
    for (const p of problems) {
      const slot = form.querySelector(`.field-error[data-for="${CSS.escape(p.column || '')}"]`);
      const text = p.value ? `${p.message}（${t('form.value')}: ${p.value}）` : p.message;
      if (slot) {
        slot.appendChild(h('div', null, text));
        slot.closest('.field').classList.add('has-error');
      } else {
        general.push(text);
      }
    }
    if (err instanceof ApiError && err.status === 412) {
      staleNotice(err);
      return;
    }
    if (err instanceof ApiError && err.status === 409) {
      const slot = form.querySelector('.field-error[data-for="id"]');
      slot.appendChild(h('div', null, err.message));
      slot.closest('.field').classList.add('has-error');
    } else if (!problems.length || general.length) {
      const msg = err instanceof ApiError && err.status === 0 ? t('error.network') : err.message;
      replace(alert, h('strong', null, t('form.refused', err.status || '')), ' ', msg,
        general.length ? h('ul', null, general.map((g) => h('li', null, g))) : null);
      alert.hidden = false;
    }
  };

  const body = () => {
    const v = (k) => ctl[k].value.trim();
    const out = {id: v('id'), name: v('name'), county: ctl.county.value,
      segments: segmentBoxes().filter((b) => b.checked).map((b) => b.value),
      status: ctl.status.value, emerging: ctl.emerging.checked};
    if (v('investor')) {
      out.investor = v('investor');
    }
    if (ctl.investment_wan.value !== '') {
      out.investment_wan = Number(ctl.investment_wan.value);
    }
    for (const k of ['signed', 'started', 'source', 'note']) {
      if (v(k)) {
        out[k] = v(k);
      }
    }
    return out;
  };

  // fetchLatest reads the project as stored now, with its ETag; null when
  // it has been deleted.
  const fetchLatest = async () => {
    try {
      const {data, etag: tag} = await getVersioned('/projects/' + encodeURIComponent(editingId));
      return {project: data.project, etag: tag};
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        return null;
      }
      throw err;
    }
  };

  // staleNotice shows a 412: the server's message, what the other editor
  // changed, and a button that loads their version into the form.
  const staleNotice = async (err) => {
    const id = editingId;
    const reload = h('button', {type: 'button', class: 'btn btn-small', id: 'project-reload'}, t('form.reload'));
    const others = h('div', {class: 'stale-changes'});
    const gone = () => {
      replace(others, h('p', null, t('form.staleGone')));
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
        clearErrors();
        fill(now.project, now.etag);
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
    const changes = fieldChanges(opened, latest.project);
    if (changes.length) {
      replace(others, h('p', null, t('form.staleChanged')), fieldTable(changes, meta));
    }
  };

  const done = (message) => {
    el.close();
    ctx.toast(message);
    ctx.rerender();
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    save.disabled = true;
    try {
      const b = body();
      if (editingId) {
        await send('PUT', '/projects/' + encodeURIComponent(editingId), b, undefined, {ifMatch: etag});
      } else {
        await send('POST', '/projects', b);
      }
      done(t('form.saved', b.name));
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
    clearErrors();
    try {
      await send('DELETE', '/projects/' + encodeURIComponent(editingId), undefined, {cascade: cascade.checked ? 'true' : ''}, {ifMatch: etag});
      done(t('form.deleted', editingId));
    } catch (err) {
      showError(err);
    }
  });

  let investorsLoaded = false;
  const loadInvestors = async () => {
    if (investorsLoaded) {
      return;
    }
    investorsLoaded = true;
    try {
      const res = await get('/enterprises', {per_page: 500});
      replace(investors, res.items.map((e) => h('option', {value: e.id}, e.name)));
    } catch {
      investorsLoaded = false; // only a convenience; the field still takes any id
    }
  };

  // The history is read when it is first unfolded.
  historyBox.addEventListener('toggle', () => {
    if (historyBox.open && editingId && !historyBox.querySelector('.hist')) {
      historyBox.appendChild(historySection('project', editingId, meta, ctx.signal));
    }
  });

  // fill puts a project (null: a new one) into the form; tag is the ETag
  // of the version it is.
  const fill = (p, tag) => {
    etag = tag || '';
    opened = p;
    editingId = p ? p.id : null;
    title.textContent = p ? t('form.editTitle', p.id) : t('form.newTitle');
    ctl.id.value = p ? p.id : '';
    ctl.id.readOnly = Boolean(p);
    ctl.name.value = p ? p.name : '';
    ctl.county.value = p ? p.county : (meta.areaOptions()[0] || {code: meta.region.code}).code;
    const segs = new Set(p ? p.segments : []);
    for (const b of segmentBoxes()) {
      b.checked = segs.has(b.value);
    }
    paintChosen();
    ctl.investor.value = p && p.investor ? p.investor : '';
    ctl.investment_wan.value = p && p.investment_wan !== undefined ? String(p.investment_wan) : '';
    ctl.signed.value = p && p.signed ? p.signed : '';
    ctl.started.value = p && p.started ? p.started : '';
    ctl.status.value = p ? p.status : 'signed';
    ctl.emerging.checked = Boolean(p && p.emerging);
    ctl.source.value = p && p.source ? p.source : '';
    ctl.note.value = p && p.note ? p.note : '';
    del.hidden = !p;
    confirmBox.hidden = true;
    cascade.checked = false;
    historyBox.hidden = !p;
    historyBox.open = false;
    for (const old of historyBox.querySelectorAll('.hist')) {
      old.remove();
    }
  };

  return {
    el,
    // open shows the form: empty for a new project, else filled from the
    // project as stored now (p is the ledger's row), with its ETag.
    async open(p) {
      clearErrors();
      if (p) {
        try {
          const {data, etag: tag} = await getVersioned('/projects/' + encodeURIComponent(p.id), ctx.signal);
          fill(data.project, tag);
        } catch (err) {
          if (err.name !== 'AbortError') {
            ctx.toast(t('form.openFailed', err.message));
          }
          return;
        }
      } else {
        fill(null, '');
      }
      el.showModal();
      (p ? ctl.name : ctl.id).focus();
      loadInvestors();
    },
  };
}

// recordDialog shows one project's 修改历史 (who changed it, when, and
// which fields from what to what), for every reader, in a modal dialog.
function recordDialog(meta, ctx) {
  const title = h('h2', {id: 'record-dialog-title'});
  const sub = h('p', {class: 'panel-id'});
  const body = h('div', {class: 'form-body'});
  const close = h('button', {type: 'button', class: 'btn', id: 'record-close'}, t('close'));
  const el = h('dialog', {class: 'dialog', id: 'record-dialog', 'aria-labelledby': 'record-dialog-title'},
    h('div', {class: 'project-form'},
      h('div', {class: 'form-head'}, title, sub),
      body,
      h('div', {class: 'form-actions'}, h('span', {class: 'spacer'}), close)));
  close.addEventListener('click', () => el.close());
  return {
    el,
    open(p) {
      title.textContent = p.name;
      sub.textContent = p.id;
      replace(body, historySection('project', p.id, meta, ctx.signal));
      el.showModal();
      close.focus();
    },
  };
}
