/* Enhances the participant pages; the plain form works without it. */
(() => {
  'use strict';
  const D = document;
  const all = (sel, root) => Array.from((root || D).querySelectorAll(sel));
  const safe = fn => function () {
    try { return fn.apply(this, arguments); } catch (e) { if (window.console) console.error(e); }
  };
  const PREFIX = 'survey-draft:';
  const load = k => { try { return JSON.parse(localStorage.getItem(PREFIX + k)); } catch (e) { return null; } };
  const store = (k, v) => { try { localStorage.setItem(PREFIX + k, JSON.stringify(v)); } catch (e) { /* private mode */ } };
  const drop = k => { try { localStorage.removeItem(PREFIX + k); } catch (e) { /* private mode */ } };
  const tick = el => el.type === 'radio' || el.type === 'checkbox';
  const otherText = el => el.type === 'text' && /\.other$/.test(el.name);

  safe(() => {
    // Thank-you page: the server has the answers, so the draft can go.
    const thanks = D.querySelector('.thanks[data-draft-key]');
    if (thanks) drop(thanks.getAttribute('data-draft-key'));
    // Conflict page: keep the answers, but a new questionnaire needs a new submission id.
    const conflict = D.querySelector('[data-draft-conflict]');
    if (conflict) {
      const k = conflict.getAttribute('data-draft-conflict'), d = load(k);
      if (d) { d.submission_id = null; store(k, d); }
    }
    // Join page: show the code in capitals while typing, keeping the caret.
    const code = D.querySelector('form.join .code');
    if (code) code.addEventListener('input', safe(e => {
      const v = code.value, u = v.toUpperCase();
      if (e.isComposing || v === u) return;
      const a = code.selectionStart, b = code.selectionEnd;
      code.value = u;
      code.setSelectionRange(a, b);
    }));
  })();

  const form = D.querySelector('form.questionnaire');
  if (!form) return;
  const text = n => form.getAttribute('data-text-' + n) || '';
  const fields = () => all('input,select,textarea', form).filter(el => el.name === 'consent' || el.name.indexOf('q.') === 0);
  const sid = form.querySelector('input[name=submission_id]');
  const key = form.getAttribute('data-draft-key');
  const drafts = key && !/\/edit\//.test(form.getAttribute('action') || '');
  const sendButton = form.querySelector('.send');

  // ---- draft in localStorage
  const collect = () => fields().filter(el => tick(el) ? el.checked : el.value !== '').map(el => [el.name, el.value]);
  let dirty = false;
  const saveDraft = safe(() => {
    dirty = false;
    if (drafts) store(key, { submission_id: sid ? sid.value : null, saved_at: new Date().toISOString(), fields: collect() });
  });
  safe(() => {
    if (!drafts) return;
    if (form.querySelector('.has-error') || collect().length) { saveDraft(); return; }
    const d = load(key);
    if (!d || !Array.isArray(d.fields) || !d.fields.length) return;
    const els = fields();
    d.fields.forEach(f => {
      const v = String(f[1]);
      els.forEach(el => {
        if (el.name !== f[0]) return;
        if (tick(el)) { if (el.value === v) el.checked = true; } else {
          el.value = v;
          if (el.selectedIndex < 0) el.selectedIndex = 0;
        }
      });
    });
    if (sid && /^[0-9a-f-]{36}$/i.test(d.submission_id || '')) sid.value = d.submission_id;
    const note = D.createElement('div'), p = D.createElement('p'), x = D.createElement('button');
    note.className = 'notice restored';
    note.setAttribute('role', 'status');
    p.textContent = text('restored');
    x.type = 'button';
    x.className = 'dismiss';
    x.textContent = '\u00d7';
    x.setAttribute('aria-label', 'OK');
    x.addEventListener('click', () => { note.parentNode.removeChild(note); });
    note.appendChild(p);
    note.appendChild(x);
    form.parentNode.insertBefore(note, form);
  })();

  // ---- show_if, live
  const conditions = all('[data-show-if]', form).map(el => {
    let c = null;
    try { c = JSON.parse(el.getAttribute('data-show-if')); } catch (e) { /* ignore */ }
    return { el, c };
  }).filter(x => x.c && x.c.question);
  const valuesOf = k => {
    const base = 'q.' + k;
    return fields().filter(el => (el.name === base || el.name.indexOf(base + '.') === 0) &&
      !el.disabled && !(otherText(el) && el.name !== base) && (!tick(el) || el.checked))
      .map(el => el.value.trim()).filter(Boolean);
  };
  const applyConditions = safe(() => {
    conditions.forEach(x => {
      const c = x.c, got = valuesOf(c.question);
      const wanted = c['in'] || (c.equals != null ? [c.equals] : []);
      const show = c.answered ? got.length > 0 : got.some(v => wanted.indexOf(v) >= 0);
      if (x.el.hidden === !show) return;
      x.el.hidden = !show;
      all('input,select,textarea', x.el).forEach(i => { i.disabled = !show; });
    });
    form.classList.add('js');
  });
  applyConditions();

  // ---- one section at a time on narrow screens
  const sections = all('section.section', form);
  const actions = form.querySelector('.actions');
  let paged = false, current = null, bar, meter, pager, back, next;
  const visible = () => sections.filter(s => { const qs = all('.q', s); return !qs.length || qs.some(q => !q.hidden); });
  const button = (label, cls) => {
    const b = D.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = label;
    return b;
  };
  const answered = q => all('input,select,textarea', q).some(el => tick(el) ? el.checked : !otherText(el) && el.value.trim() !== '');
  const unmark = q => {
    all('.js-missing', q).forEach(p => p.parentNode.removeChild(p));
    q.classList.remove('has-error', 'js-missing');
  };
  const markMissing = s => all('.q', s).forEach(q => {
    const legend = q.querySelector('legend');
    if (q.hidden || !legend || q.classList.contains('has-error') || !legend.querySelector('.required') || answered(q)) return;
    const p = D.createElement('p');
    p.className = 'error js-missing';
    p.textContent = text('missing');
    q.insertBefore(p, legend.nextSibling);
    q.classList.add('has-error', 'js-missing');
  });
  const render = () => {
    const vis = visible();
    if (vis.indexOf(current) < 0) {
      const at = sections.indexOf(current);
      current = vis.filter(s => sections.indexOf(s) > at)[0] || vis[vis.length - 1];
    }
    const i = vis.indexOf(current), last = i === vis.length - 1;
    sections.forEach(s => { s.hidden = s !== current; });
    bar.firstChild.textContent = text('progress').replace('{current}', i + 1).replace('{total}', vis.length);
    meter.max = vis.length;
    meter.value = i + 1;
    back.hidden = i === 0;
    next.hidden = last;
    if (actions) actions.hidden = !last;
  };
  const focusSection = () => {
    const h = current.querySelector('h2');
    if (h) { try { h.focus({ preventScroll: true }); } catch (e) { h.focus(); } }
    bar.scrollIntoView(true);
  };
  const go = step => {
    const vis = visible(), i = vis.indexOf(current) + step;
    if (i < 0 || i >= vis.length) return;
    if (step > 0) markMissing(current);
    current = vis[i];
    render();
    focusSection();
    try { history.pushState({ section: current.id }, ''); } catch (e) { /* ignore */ }
  };
  const unpage = () => {
    paged = false;
    form.classList.remove('js-paged');
    sections.forEach(s => { s.hidden = false; });
    if (actions) actions.hidden = false;
    if (bar) bar.hidden = pager.hidden = true;
  };
  const setPaged = on => {
    if (on === paged) return;
    try {
      if (!on) { unpage(); return; }
      if (!bar) {
        bar = D.createElement('p');
        bar.className = 'progress';
        bar.appendChild(D.createTextNode(''));
        meter = D.createElement('progress');
        meter.setAttribute('aria-hidden', 'true');
        bar.appendChild(meter);
        pager = D.createElement('div');
        pager.className = 'pager';
        back = button(text('back'), 'back');
        next = button(text('next'), 'next');
        back.addEventListener('click', safe(() => go(-1)));
        next.addEventListener('click', safe(() => go(1)));
        pager.appendChild(back);
        pager.appendChild(next);
        form.insertBefore(bar, sections[0]);
        form.appendChild(pager);
        sections.forEach(s => { const h = s.querySelector('h2'); if (h) h.setAttribute('tabindex', '-1'); });
      }
      if (!current) {
        const err = form.querySelector('.has-error'), st = history.state;
        current = (err && err.closest('section.section')) || (st && st.section && D.getElementById(st.section)) || sections[0];
      }
      paged = true;
      form.classList.add('js-paged');
      bar.hidden = pager.hidden = false;
      render();
      try { history.replaceState({ section: current.id }, ''); } catch (e) { /* ignore */ }
    } catch (e) {
      unpage();
      throw e;
    }
  };
  const narrow = window.matchMedia && window.matchMedia('(max-width: 47.99em)');
  if (narrow && sections.length > 1) {
    safe(setPaged)(narrow.matches);
    const onChange = safe(() => setPaged(narrow.matches));
    if (narrow.addEventListener) narrow.addEventListener('change', onChange); else if (narrow.addListener) narrow.addListener(onChange);
    window.addEventListener('popstate', safe(e => {
      const s = e.state && e.state.section && D.getElementById(e.state.section);
      if (!paged) return;
      current = sections.indexOf(s) < 0 ? sections[0] : s;
      render();
      focusSection();
    }));
  }

  // ---- errors from the server: point at them
  safe(() => {
    if (!form.querySelector('.has-error')) return;
    const target = D.getElementById('error-summary') || form.querySelector('.has-error');
    if (target) { if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1'); target.focus(); }
  })();

  // ---- events
  let timer = 0;
  const changed = safe(e => {
    applyConditions();
    const q = e.target.closest && e.target.closest('.js-missing');
    if (q && answered(q)) unmark(q);
    if (paged) render();
    clearTimeout(timer);
    dirty = true;
    if (e.type === 'change') saveDraft(); else timer = setTimeout(saveDraft, 400);
  });
  form.addEventListener('change', changed);
  form.addEventListener('input', changed);
  window.addEventListener('pagehide', () => { if (dirty) saveDraft(); });
  // Enter in a one-line field should not send a half-filled questionnaire.
  form.addEventListener('keydown', safe(e => {
    const t = e.target;
    if (e.key === 'Enter' && t.tagName === 'INPUT' && t.type !== 'submit') e.preventDefault();
  }));
  // Against double sends: a short pause, then the button works again (dropped connections).
  form.addEventListener('submit', safe(() => {
    saveDraft();
    if (!sendButton) return;
    sendButton.disabled = true;
    setTimeout(() => { sendButton.disabled = false; }, 8000);
  }));
  window.addEventListener('pageshow', safe(e => { if (e.persisted && sendButton) sendButton.disabled = false; }));
})();
