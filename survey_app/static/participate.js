/* Enhances the participant form; without it (or if it fails) the plain form still works. */
(() => {
'use strict';
const D = document;
const all = (s, r) => Array.from((r || D).querySelectorAll(s));
const safe = f => function () { try { return f.apply(this, arguments); } catch (e) { console.error(e); } };
const K = 'survey-draft:';
const load = k => { try { return JSON.parse(localStorage.getItem(K + k)); } catch (e) { return null; } };
const store = (k, v) => { try { v ? localStorage.setItem(K + k, JSON.stringify(v)) : localStorage.removeItem(K + k); } catch (e) { /* private mode */ } };
const make = (tag, cls, text) => {
  const e = D.createElement(tag);
  e.className = cls;
  if (tag === 'button') e.type = 'button';
  e.textContent = text || '';
  return e;
};
const tick = e => e.type === 'radio' || e.type === 'checkbox';
const other = e => e.type === 'text' && /\.other$/.test(e.name);
const given = e => tick(e) ? e.checked : e.value !== '';

safe(() => {
  const t = D.querySelector('.thanks[data-draft-key]'); // acknowledged: drop the draft
  if (t) store(t.getAttribute('data-draft-key'), null);
  const c = D.querySelector('[data-draft-conflict]'); // keep the answers, get a new id
  const k = c && c.getAttribute('data-draft-conflict'), d = k && load(k);
  if (d) { d.submission_id = null; store(k, d); }
})();

const form = D.querySelector('form.questionnaire');
if (!form) return;
const text = n => form.getAttribute('data-text-' + n) || '';
const fields = () => all('input,select,textarea', form).filter(e => e.name === 'consent' || e.name.indexOf('q.') === 0);
const sid = form.querySelector('[name=submission_id]');
const key = form.getAttribute('data-draft-key');
const drafts = key && !/\/edit\//.test(form.getAttribute('action')); // edits are kept by the server
const send = form.querySelector('.send');
const sections = all('section.section', form);
const actions = form.querySelector('.actions');

// Draft in localStorage
let dirty = false, timer = 0;
const save = safe(() => {
  dirty = false;
  if (drafts) store(key, { submission_id: sid && sid.value, saved_at: new Date().toISOString(),
    fields: fields().filter(given).map(e => [e.name, e.value]) });
});
safe(() => {
  if (!drafts) return;
  if (form.querySelector('.has-error') || fields().some(given)) return save(); // filled in by the server
  const d = load(key), els = fields();
  if (!d || !Array.isArray(d.fields) || !d.fields.length) return;
  d.fields.forEach(f => els.forEach(e => {
    if (e.name !== f[0]) return;
    if (!tick(e)) e.value = f[1];
    else if (e.value === String(f[1])) e.checked = true;
    if (e.selectedIndex < 0) e.selectedIndex = 0;
  }));
  if (sid && /^[0-9a-f-]{36}$/i.test(d.submission_id)) sid.value = d.submission_id;
  const note = make('div', 'notice restored'), x = make('button', 'dismiss', '\u00d7');
  note.setAttribute('role', 'status');
  x.setAttribute('aria-label', text('close') || 'OK');
  x.addEventListener('click', () => note.parentNode.removeChild(note));
  note.appendChild(make('p', '', text('restored')));
  note.appendChild(x);
  form.parentNode.insertBefore(note, form);
})();

// show_if, live; a condition names an earlier question, so one pass in order handles chains
const conditions = all('[data-show-if]', form).map(el => {
  try { return { el, c: JSON.parse(el.getAttribute('data-show-if')) }; } catch (e) { return {}; }
}).filter(x => x.c && x.c.question);
const valuesOf = k => fields().filter(e => !e.disabled && (!tick(e) || e.checked) &&
  (e.name === 'q.' + k || (e.name.indexOf('q.' + k + '.') === 0 && !other(e)))).map(e => e.value.trim()).filter(Boolean);
const applyConditions = safe(() => {
  conditions.forEach(x => {
    const c = x.c, got = valuesOf(c.question), wanted = c['in'] || [c.equals];
    const show = c.answered ? got.length > 0 : got.some(v => wanted.indexOf(v) >= 0);
    if (x.el.hidden === !show) return;
    x.el.hidden = !show;
    all('input,select,textarea', x.el).forEach(e => { e.disabled = !show; });
  });
  form.classList.add('js');
});
applyConditions();

// One section at a time on narrow screens; unanswered questions never block: the server validates
let paged = false, current, bar, pager, back, next;
const visible = () => sections.filter(s => { const qs = all('.q', s); return !qs.length || qs.some(q => !q.hidden); });
const render = () => {
  const vis = visible(), at = sections.indexOf(current);
  if (vis.indexOf(current) < 0) current = vis.filter(s => sections.indexOf(s) > at)[0] || vis[vis.length - 1];
  const i = vis.indexOf(current);
  sections.forEach(s => { s.hidden = s !== current; });
  bar.textContent = text('progress').replace('{current}', i + 1).replace('{total}', vis.length);
  const meter = make('progress');
  meter.max = vis.length;
  meter.value = i + 1;
  meter.setAttribute('aria-hidden', 'true');
  bar.appendChild(meter);
  back.hidden = !i;
  next.hidden = i === vis.length - 1;
  if (actions) actions.hidden = !next.hidden;
};
const go = step => {
  const vis = visible(), s = vis[vis.indexOf(current) + step];
  if (!s) return;
  current = s;
  render();
  const h = s.querySelector('h2');
  if (h) try { h.focus({ preventScroll: true }); } catch (e) { h.focus(); }
  bar.scrollIntoView(true);
};
const setPaged = on => {
  if (on === paged) return;
  paged = on;
  form.classList.toggle('js-paged', on);
  if (bar) bar.hidden = pager.hidden = !on;
  if (!on) {
    sections.forEach(s => { s.hidden = false; });
    if (actions) actions.hidden = false;
    return;
  }
  try {
    if (!bar) {
      bar = make('p', 'progress');
      pager = make('div', 'pager');
      pager.appendChild(back = make('button', 'back', text('back')));
      pager.appendChild(next = make('button', 'next', text('next')));
      back.addEventListener('click', safe(() => go(-1)));
      next.addEventListener('click', safe(() => go(1)));
      form.insertBefore(bar, sections[0]);
      form.appendChild(pager);
      sections.forEach(s => { const h = s.querySelector('h2'); if (h) h.tabIndex = -1; });
      const err = form.querySelector('.has-error');
      current = (err && err.closest('section')) || sections[0];
    }
    render();
  } catch (e) {
    setPaged(false); // never leave a half-paged form behind
    throw e;
  }
};
const narrow = window.matchMedia && matchMedia('(max-width: 47.99em)');
if (narrow && sections.length > 1) {
  const onMedia = safe(() => setPaged(narrow.matches));
  onMedia();
  if (narrow.addEventListener) narrow.addEventListener('change', onMedia); else narrow.addListener(onMedia);
}

safe(() => { // back from the server with errors: point at them
  const t = form.querySelector('.has-error') && (D.getElementById('error-summary') || form.querySelector('.has-error'));
  if (t) { if (!t.hasAttribute('tabindex')) t.tabIndex = -1; t.focus(); }
})();

const changed = safe(e => {
  applyConditions();
  if (paged) render();
  clearTimeout(timer);
  dirty = true;
  if (e.type === 'change') save(); else timer = setTimeout(save, 400);
});
form.addEventListener('change', changed);
form.addEventListener('input', changed);
addEventListener('pagehide', () => { if (dirty) save(); });
// Enter in a one-line field must not send a half-filled questionnaire
form.addEventListener('keydown', e => { if (e.key === 'Enter' && e.target.tagName === 'INPUT') e.preventDefault(); });
// Sending: through fetch with an outbox in localStorage, so a submission made without a
// connection is kept on the phone and sent when the network is back. It leaves the phone
// only after the server answered (thank-you, or the form back with remarks); a network
// error or a 5xx keeps it queued. Retries are safe: the server stores a submission_id once.
const queued = () => drafts && load('outbox:' + key); // stored as survey-draft:outbox:CODE
const enqueue = v => store('outbox:' + key, v);
let sending = false, pause = 4000, retry = 0, status;
const say = (name, button) => {
  if (!status) {
    status = make('div', 'notice outbox');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    form.parentNode.insertBefore(status, form);
  }
  status.textContent = '';
  status.appendChild(make('p', '', text(name)));
  if (button) {
    const b = make('button', 'retry', text('retry'));
    b.addEventListener('click', safe(() => deliver()));
    status.appendChild(b);
  }
  status.hidden = false;
};
const show = html => { D.open(); D.write(html); D.close(); };
const later = () => {
  clearTimeout(retry);
  retry = setTimeout(deliver, pause);
  pause = Math.min(pause * 2, 60000);
};
const deliver = safe((renewed) => {
  const entry = queued();
  if (!entry || sending) return;
  sending = true;
  if (send) send.disabled = true;
  say('sending');
  fetch(entry.action, { method: 'POST', body: entry.body, credentials: 'same-origin', cache: 'no-store',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    .then(r => r.text().then(html => [r.status, html]))
    .then(([code, html]) => {
      sending = false;
      if (code >= 500 || code === 408 || code === 429) throw new Error('retry ' + code);
      const token = code === 400 && !renewed &&
        new DOMParser().parseFromString(html, 'text/html').querySelector('[name=csrf_token]');
      if (token) { // the session had expired: send again once with the fresh token
        const body = new URLSearchParams(entry.body);
        body.set('csrf_token', token.value);
        entry.body = body.toString();
        enqueue(entry);
        return deliver(true);
      }
      enqueue(null); // answered by the server: the outbox entry is done
      show(html);
    })
    .catch(() => {
      sending = false;
      if (send) send.disabled = false;
      say('offline', true);
      later();
    });
});
addEventListener('online', () => { pause = 4000; deliver(); });
form.addEventListener('submit', safe(e => {
  save();
  if (!drafts || !window.fetch || !window.URLSearchParams) { // plain post; against double sends
    if (send) { send.disabled = true; setTimeout(() => { send.disabled = false; }, 8000); }
    return;
  }
  e.preventDefault();
  if (sending) return;
  const body = new URLSearchParams(new FormData(form)).toString();
  enqueue({ action: form.getAttribute('action'), body, queued_at: new Date().toISOString() });
  pause = 4000;
  deliver();
}));
addEventListener('pageshow', e => { if (e.persisted && send) send.disabled = false; });
if (queued()) { // a queued submission from before a reload
  say('offline', true);
  deliver();
}
})();
