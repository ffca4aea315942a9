// asof.js — reading the data as it was after a past revision (SPEC §8):
// the control in the header that picks a date or a revision, the banner
// that says which time is on screen, and the lookup of the revision an
// as_of value names.
//
// The as-of time lives in the address (?as_of=REV or ?as_of=YYYY-MM-DD),
// so a reload or a shared link keeps it: api.js adds it to every read and
// every download link, router.js to every link inside the app.

import {h, replace, setText} from '../dom.js';
import {get, asOf} from '../api.js';
import {t, num, onLangChange, beijingTime, beijingDay} from '../i18n.js';
import {href, navigate, current} from '../router.js';

const REV = /^[0-9]+$/;
const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
// PICK is how many of the newest revisions the picker lists (and where a
// date is looked up first).
const PICK = 100;

// actorName names who wrote a revision: the two actors the server knows
// in words, any other name as it is.
export function actorName(by) {
  if (by === 'cli') {
    return t('asof.actorCli');
  }
  if (by === 'editor') {
    return t('asof.actorEditor');
  }
  return by || '—';
}

// SUMMARY_KINDS are the kinds of record a revision's summary counts
// ("update project P-17: 1 project", "import replace: 3 enterprise, …").
const SUMMARY_KINDS = new Set(['region', 'county', 'chain', 'segment', 'enterprise', 'project', 'link', 'lead', 'report']);

// summaryText writes a revision's summary in the app's language: the
// action and the kind of record in words, the record's key as it is, and
// the counts of records written ("修改项目 P-17：项目 1 条"). A summary of
// another shape is shown as it is.
export function summaryText(summary) {
  const s = String(summary || '');
  const colon = s.indexOf(': ');
  const head = colon < 0 ? s : s.slice(0, colon);
  const tail = colon < 0 ? '' : s.slice(colon + 2);
  const counts = (text) => {
    if (text === 'no change') {
      return t('sum.noChange');
    }
    const parts = text.split(', ').map((p) => /^(\d+) ([a-z]+)$/.exec(p));
    if (!parts.every((m) => m && SUMMARY_KINDS.has(m[2]))) {
      return null;
    }
    return parts.map((m) => t('sum.count', t('sum.kind.' + m[2]), num(Number(m[1])))).join(t('sep.list'));
  };
  let words = null;
  let m;
  if ((m = /^(create|update|delete) (enterprise|project|link|lead) (.+)$/.exec(head))) {
    words = t('sum.record', t('sum.' + m[1]), t('sum.kind.' + m[2]), m[3]);
  } else if ((m = /^(upload|import) (replace|merge)(?: (.+))?$/.exec(head))) {
    words = t('sum.bulk', t('sum.' + m[1]), t('sum.' + m[2]), m[3] || '');
  } else if (head === 'init built-in dataset') {
    words = t('sum.init');
  } else if (head === '' || head === 'no change') {
    words = '';
  }
  const c = tail ? counts(tail) : head === 'no change' ? t('sum.noChange') : '';
  if (words === null || c === null) {
    if (colon < 0 && counts(s)) {
      return counts(s);
    }
    return s;
  }
  return words && c ? t('sum.join', words, c) : words || c;
}

// revisionAt returns revision rev, or null: revisions are numbered
// without gaps, so the one newest before rev + 1 is rev itself.
async function revisionAt(rev) {
  const res = await get('/revisions', {before: rev + 1, limit: 1});
  const r = res.revisions[0];
  return r && r.rev === rev ? r : null;
}

// lastOnOrBefore finds the newest revision of 1…hi committed on or before
// day (Beijing time) by bisection, revisions being committed in order.
async function lastOnOrBefore(day, hi) {
  let lo = 1;
  let found = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const r = await revisionAt(mid);
    if (r && beijingDay(r.at) <= day) {
      found = r;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

async function lookup(value) {
  const head = await get('/revisions', {limit: PICK});
  const revs = head.revisions;
  const latest = revs.length ? revs[0].rev : 0;
  let revision = null;
  if (REV.test(value)) {
    const rev = Number(value);
    revision = revs.find((r) => r.rev === rev) || (rev >= 1 && rev <= latest ? await revisionAt(rev) : null);
    if (!revision) {
      throw new Error(t('asof.noRevision', value, num(latest)));
    }
  } else if (DAY.test(value)) {
    // The newest listed revision of that day or before is the answer
    // whenever the list reaches back that far; else look further back.
    revision = revs.find((r) => beijingDay(r.at) <= value) || null;
    if (!revision && revs.length < head.total) {
      revision = await lastOnOrBefore(value, revs[revs.length - 1].rev - 1);
    }
    if (!revision) {
      throw new Error(t('asof.noneBefore', value));
    }
  } else {
    throw new Error(t('asof.invalid', value));
  }
  return {value, date: DAY.test(value) ? value : '', rev: revision.rev, revision, latest};
}

// settled keeps the answers that cannot change: a revision number, or a
// day before today in Beijing (new revisions are always dated now).
const settled = new Map();

// resolveAsOf says which revision an as_of value names, as the server
// reads it: a number is that revision, a date the last revision committed
// on or before the end of that day, Beijing time. It answers {value,
// date, rev, revision: {rev, at, by, summary}, latest}, or fails with a
// message to show.
export function resolveAsOf(value) {
  if (settled.has(value)) {
    return settled.get(value);
  }
  const p = lookup(value);
  if (REV.test(value) || (DAY.test(value) && value < beijingDay(new Date().toISOString()))) {
    settled.set(value, p);
    p.catch(() => settled.delete(value));
  }
  return p;
}

// goAsOf shows the current view, with its parameters, as of value ('' for
// now): a new entry in the browser's history.
function goAsOf(value) {
  const {view, params} = current();
  navigate(href(view, {...Object.fromEntries(params), as_of: value}));
}

// asOfChrome builds the header control and the banner; paint() brings
// both up to date with the address (app.js calls it on every navigation).
export function asOfChrome() {
  const btn = h('button', {type: 'button', class: 'btn btn-ghost asof-button', id: 'asof-button', 'aria-expanded': 'false', 'aria-controls': 'asof-form'});
  const title = h('strong', {class: 'asof-title'});
  const dateLabel = h('label', {for: 'asof-date'});
  const date = h('input', {type: 'date', id: 'asof-date', class: 'input', min: '2000-01-01'});
  const revLabel = h('label', {for: 'asof-rev'});
  const rev = h('select', {id: 'asof-rev', class: 'select'});
  const more = h('p', {class: 'hint', hidden: true});
  const error = h('p', {class: 'field-error', id: 'asof-error', role: 'alert'});
  const apply = h('button', {type: 'submit', class: 'btn btn-primary', id: 'asof-apply'});
  const now = h('button', {type: 'button', class: 'btn', id: 'asof-now'});
  const hint = h('p', {class: 'hint'});
  const form = h('form', {class: 'token-pop asof-pop', id: 'asof-form', hidden: true},
    title, dateLabel, date, revLabel, rev, more, error, h('div', {class: 'row'}, apply, now), hint);
  const control = h('div', {class: 'token asof'}, btn, form);

  const text = h('span', {class: 'asof-banner-text', id: 'asof-banner-text'});
  const detail = h('span', {class: 'asof-banner-detail', id: 'asof-banner-detail'});
  const readOnly = h('span', {class: 'badge badge-asof'});
  const back = h('button', {type: 'button', class: 'btn btn-small', id: 'asof-back'});
  const banner = h('div', {class: 'asof-banner', id: 'asof-banner', role: 'status', hidden: true},
    h('div', {class: 'asof-banner-inner'},
      h('span', {class: 'asof-banner-mark', 'aria-hidden': 'true'}),
      h('span', {class: 'asof-banner-main'}, text, detail),
      readOnly, back));

  const close = () => {
    form.hidden = true;
    btn.setAttribute('aria-expanded', 'false');
  };

  // fillRevisions lists the newest revisions in the picker, fresh at each
  // opening (others may have written since).
  let listSeq = 0;
  const fillRevisions = async () => {
    const mine = ++listSeq;
    replace(rev, h('option', {value: ''}, t('asof.loadingRevs')));
    try {
      const res = await get('/revisions', {limit: PICK});
      if (mine !== listSeq) {
        return;
      }
      replace(rev, h('option', {value: ''}, t('asof.pick')), res.revisions.map((r) => h('option', {value: String(r.rev)},
        t('asof.option', num(r.rev), beijingTime(r.at), shorten(`${actorName(r.by)} · ${summaryText(r.summary)}`, 48)))));
      const v = asOf();
      rev.value = REV.test(v) && res.revisions.some((r) => String(r.rev) === v) ? v : '';
      more.hidden = res.total <= res.revisions.length;
      setText(more, t('asof.moreRevs', num(res.revisions.length), num(res.total)));
    } catch (err) {
      if (mine === listSeq) {
        replace(rev, h('option', {value: ''}, t('asof.pick')));
        setText(error, err.message);
      }
    }
  };

  btn.addEventListener('click', () => {
    form.hidden = !form.hidden;
    btn.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) {
      const v = asOf();
      date.value = DAY.test(v) ? v : '';
      date.max = beijingDay(new Date().toISOString());
      setText(error, '');
      fillRevisions();
      date.focus();
    }
  });
  // A date and a revision are two ways to say one thing: choosing one
  // clears the other.
  date.addEventListener('input', () => {
    if (date.value) {
      rev.value = '';
    }
  });
  rev.addEventListener('change', () => {
    if (rev.value) {
      date.value = '';
    }
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = rev.value || date.value;
    if (!value) {
      setText(error, t('asof.choose'));
      return;
    }
    close();
    goAsOf(value);
  });
  now.addEventListener('click', () => {
    close();
    goAsOf('');
  });
  back.addEventListener('click', () => goAsOf(''));
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      close();
      btn.focus();
    }
  });
  document.addEventListener('click', (ev) => {
    if (!control.contains(ev.target)) {
      close();
    }
  });

  let paintSeq = 0;
  const paint = async () => {
    const mine = ++paintSeq;
    const v = asOf();
    setText(title, t('asof.title'));
    setText(dateLabel, t('asof.date'));
    setText(revLabel, t('asof.or'));
    setText(apply, t('asof.apply'));
    setText(now, t('asof.back'));
    setText(hint, t('asof.hint'));
    setText(back, t('asof.back'));
    setText(readOnly, t('asof.readOnly'));
    now.hidden = !v;
    btn.classList.toggle('is-past', Boolean(v));
    setText(btn, !v ? t('asof.now') : DAY.test(v) ? t('asof.pastDate', v) : REV.test(v) ? t('asof.pastRev', v) : v);
    document.body.classList.toggle('is-past', Boolean(v));
    banner.hidden = !v;
    banner.classList.remove('is-error');
    if (!v) {
      return;
    }
    setText(text, t('asof.viewing', v));
    setText(detail, '');
    let r;
    try {
      r = await resolveAsOf(v);
    } catch (err) {
      if (mine === paintSeq) {
        banner.classList.add('is-error');
        setText(text, t('asof.failed', v, err.message));
      }
      return;
    }
    if (mine !== paintSeq) {
      return;
    }
    setText(text, r.date ? t('asof.viewingDate', r.date, num(r.rev)) : t('asof.viewingRev', num(r.rev)));
    const rv = r.revision;
    setText(detail, t('asof.detail', num(rv.rev), beijingTime(rv.at), actorName(rv.by), summaryText(rv.summary)) +
      (r.rev === r.latest ? ' ' + t('asof.latest') : ''));
  };
  onLangChange(paint);
  return {control, banner, paint};
}

function shorten(s, n) {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
