/* Enhances the participant form; without it (or if it fails) the plain form still works.
 *
 * Sections: helpers; after sending (thank-you and conflict pages); the form; drafts in
 * localStorage; show_if; one section at a time; remarks from the server; following the
 * answers; the outbox. Each enhancement runs guarded: an error in one leaves the others.
 *
 * What the templates (templates/participate/) give this script:
 * - form.questionnaire: data-draft-key (the join code); data-text-NAME, the interface texts
 *   (next, back, progress, restored, close, sending, offline, retry); an action URL that
 *   contains /edit/ when sent answers are changed; the fields consent, q.KEY, q.KEY.ITEM,
 *   q.KEY.N and q.KEY.other, submission_id and csrf_token; one section.section per part
 *   with an h2; a .q per question (id q-KEY), data-show-if (JSON) on conditional ones; in
 *   a points question, ul[data-points] (the budget) of fields whose data-option names the
 *   option they give points to; .has-error on questions with a remark and #error-summary
 *   above the form; .actions with button.send.
 * - .thanks[data-draft-key] on the thank-you page, [data-draft-conflict] (the join code)
 *   on the page that refuses other answers under a submission_id already used.
 *
 * What it keeps in localStorage (per join code):
 * - survey-draft:CODE, the draft: {submission_id, saved_at, fields: [[name, value], ...]}
 * - survey-draft:outbox:CODE, a submission waiting to be sent: {action, body, queued_at}
 */
(() => {
  "use strict";

  // ---- Helpers --------------------------------------------------------------------------

  /** Return the elements under `root` (default: the document) that match `selector`. */
  const findAll = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  /** Wrap `action` so that an error in it is logged, not thrown: the page keeps working. */
  const guarded = (action) => function (...args) {
    try {
      return action.apply(this, args);
    } catch (error) {
      console.error(error);
    }
  };

  const STORAGE_PREFIX = "survey-draft:";

  /** Return what is stored under `name`, or null (nothing, unreadable, storage blocked). */
  const loadStored = (name) => {
    try {
      return JSON.parse(localStorage.getItem(STORAGE_PREFIX + name));
    } catch (error) {
      return null;
    }
  };

  /** Store `value` under `name` as JSON; an empty `value` removes the entry. */
  const store = (name, value) => {
    try {
      if (value) {
        localStorage.setItem(STORAGE_PREFIX + name, JSON.stringify(value));
      } else {
        localStorage.removeItem(STORAGE_PREFIX + name);
      }
    } catch (error) {
      // Private mode or a full storage: the form still works, without a draft.
    }
  };

  /** Return a new `tag` element with `className` and `text`; a button made here never submits. */
  const createElement = (tag, className, text) => {
    const element = document.createElement(tag);
    element.className = className;
    if (tag === "button") element.type = "button";
    element.textContent = text || "";
    return element;
  };

  /** Tell whether `field` is answered by ticking (radio button, checkbox). */
  const isTickable = (field) => field.type === "radio" || field.type === "checkbox";

  /** Tell whether `field` is the text of an "other, please specify" option (q.KEY.other). */
  const isOtherText = (field) => field.type === "text" && /\.other$/.test(field.name);

  /** Tell whether `field` holds an answer: ticked, or not empty. */
  const isAnswered = (field) => (isTickable(field) ? field.checked : field.value !== "");

  // ---- After sending: the thank-you and conflict pages ----------------------------------

  guarded(() => {
    // Acknowledged by the server: the draft has done its job.
    const thanks = document.querySelector(".thanks[data-draft-key]");
    if (thanks) store(thanks.getAttribute("data-draft-key"), null);
    // Refused as different answers under a used submission_id: keep the answers, and
    // forget the id so that the form gets a new one.
    const conflict = document.querySelector("[data-draft-conflict]");
    const code = conflict && conflict.getAttribute("data-draft-conflict");
    const draft = code && loadStored(code);
    if (draft) {
      draft.submission_id = null;
      store(code, draft);
    }
  })();

  // ---- The form ---------------------------------------------------------------------------

  const form = document.querySelector("form.questionnaire");
  if (!form) return;

  const submissionIdField = form.querySelector("[name=submission_id]");
  const draftKey = form.getAttribute("data-draft-key");
  // Changes to sent answers (an /edit/ URL) are kept by the server, not in a draft.
  const keepsDrafts = draftKey && !/\/edit\//.test(form.getAttribute("action"));
  const sendButton = form.querySelector(".send");
  const sections = findAll("section.section", form);
  const actions = form.querySelector(".actions");

  /** Return the interface text `name` (the form's data-text-NAME), or "". */
  const uiText = (name) => form.getAttribute("data-text-" + name) || "";

  /** Return the fields that carry answers: the questions' and the consent. */
  const answerFields = () => findAll("input,select,textarea", form)
    .filter((field) => field.name === "consent" || field.name.startsWith("q."));

  // ---- Drafts in localStorage -------------------------------------------------------------

  let unsaved = false;
  let saveTimer = 0;

  /** Keep the answers given so far and the submission_id as the draft. */
  const saveDraft = guarded(() => {
    unsaved = false;
    if (!keepsDrafts) return;
    store(draftKey, {
      submission_id: submissionIdField && submissionIdField.value,
      saved_at: new Date().toISOString(),
      fields: answerFields().filter(isAnswered).map((field) => [field.name, field.value]),
    });
  });

  /** Put the draft of an earlier visit into the empty form, and say so above it. */
  const restoreDraft = () => {
    if (!keepsDrafts) return;
    if (form.querySelector(".has-error") || answerFields().some(isAnswered)) {
      saveDraft(); // filled in by the server: that is the newer draft
      return;
    }
    const draft = loadStored(draftKey);
    const fields = answerFields();
    if (!draft || !Array.isArray(draft.fields) || !draft.fields.length) return;
    draft.fields.forEach((saved) => {
      const name = saved[0];
      const value = saved[1];
      fields.forEach((field) => {
        if (field.name !== name) return;
        if (!isTickable(field)) field.value = value;
        else if (field.value === String(value)) field.checked = true;
        if (field.selectedIndex < 0) field.selectedIndex = 0; // an option that is gone
      });
    });
    if (submissionIdField && /^[0-9a-f-]{36}$/i.test(draft.submission_id)) {
      submissionIdField.value = draft.submission_id;
    }
    const notice = createElement("div", "notice restored");
    const dismiss = createElement("button", "dismiss", "\u00d7");
    notice.setAttribute("role", "status");
    dismiss.setAttribute("aria-label", uiText("close") || "OK");
    dismiss.addEventListener("click", () => notice.parentNode.removeChild(notice));
    notice.appendChild(createElement("p", "", uiText("restored")));
    notice.appendChild(dismiss);
    form.parentNode.insertBefore(notice, form);
  };

  guarded(restoreDraft)();

  // ---- show_if: conditional questions, live ---------------------------------------------

  // data-show-if is {question, equals: OPTION} | {question, in: [OPTIONS]} | {question, answered: true}.
  const conditionals = findAll("[data-show-if]", form).map((element) => {
    try {
      return { element, condition: JSON.parse(element.getAttribute("data-show-if")) };
    } catch (error) {
      return {};
    }
  }).filter((item) => item.condition && item.condition.question);

  /** Return `text` with Arabic-Indic and Persian digits as 0-9 (the server reads them as digits). */
  const latinDigits = (text) => text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g,
    (digit) => String(digit.charCodeAt(0) & 0xF));

  /**
   * Return the options of a list of points (ul[data-points] of fields with data-option) that
   * got points, as the server reads them: only if every field is empty or holds whole points
   * (up to 6 digits) and they add up to the budget (data-points); else none, unanswered.
   */
  const pointsGiven = (list) => {
    const budget = parseInt(list.getAttribute("data-points"), 10);
    const given = [];
    let total = 0;
    for (const field of findAll("[data-option]", list)) {
      const typed = latinDigits(field.value.trim());
      if (field.disabled || (typed && !/^[0-9]{1,6}$/.test(typed))) return [];
      const points = typed ? parseInt(typed, 10) : 0;
      total += points;
      if (points > 0) given.push(field.getAttribute("data-option"));
    }
    return total === budget ? given : [];
  };

  /**
   * Return the option keys (or other values) question `key` is answered with, as the server
   * compares them with a condition: the non-empty values of its fields, without hidden fields
   * and other-texts; for a list of points, the options that got points.
   */
  const valuesOf = (key) => {
    const question = form.querySelector("#q-" + key);
    const points = question && question.querySelector("ul[data-points]");
    if (points) return pointsGiven(points);
    return answerFields()
      .filter((field) => !field.disabled && (!isTickable(field) || field.checked) &&
        (field.name === "q." + key || (field.name.startsWith("q." + key + ".") && !isOtherText(field))))
      .map((field) => field.value.trim())
      .filter(Boolean);
  };

  /**
   * Show the questions whose condition holds; hide and disable the others (a disabled field
   * is not sent). A condition names an earlier question, so one pass in order handles chains.
   */
  const applyConditions = guarded(() => {
    conditionals.forEach(({ element, condition }) => {
      const given = valuesOf(condition.question);
      const wanted = condition.in || [condition.equals];
      const show = condition.answered ? given.length > 0 : given.some((value) => wanted.includes(value));
      if (element.hidden === !show) return;
      element.hidden = !show;
      findAll("input,select,textarea", element).forEach((field) => { field.disabled = !show; });
    });
    form.classList.add("js");
  });

  applyConditions();

  // ---- One section at a time on narrow screens -------------------------------------------
  // "Next" asks the server to check the part first (checkPart); without a connection it
  // moves on, and sending checks the whole form.

  let paged = false;
  let currentSection;
  let progressLine; // "Part 2 of 5" and a meter, above the sections
  let pager; // the back and next buttons, below the sections
  let backButton;
  let nextButton;

  /** Return the sections to page through: those with a shown question, or with no question. */
  const visibleSections = () => sections.filter((section) => {
    const questions = findAll(".q", section);
    return !questions.length || questions.some((question) => !question.hidden);
  });

  /** Show the current section alone (or the next one if all its questions are hidden now). */
  const renderPage = () => {
    const visible = visibleSections();
    const position = sections.indexOf(currentSection);
    if (!visible.includes(currentSection)) {
      currentSection = visible.filter((section) => sections.indexOf(section) > position)[0] ||
        visible[visible.length - 1];
    }
    const index = visible.indexOf(currentSection);
    sections.forEach((section) => { section.hidden = section !== currentSection; });
    progressLine.textContent = uiText("progress")
      .replace("{current}", String(index + 1))
      .replace("{total}", String(visible.length));
    const meter = document.createElement("progress");
    meter.max = visible.length;
    meter.value = index + 1;
    meter.setAttribute("aria-hidden", "true");
    progressLine.appendChild(meter);
    backButton.hidden = !index;
    nextButton.hidden = index === visible.length - 1;
    if (actions) actions.hidden = !nextButton.hidden; // "send" on the last section only
  };

  /** Move `step` visible sections on (1) or back (-1) and put the focus on its heading. */
  const turnPage = (step) => {
    const visible = visibleSections();
    const target = visible[visible.indexOf(currentSection) + step];
    if (!target) return;
    currentSection = target;
    renderPage();
    const heading = target.querySelector("h2");
    if (heading) {
      try {
        heading.focus({ preventScroll: true });
      } catch (error) {
        heading.focus();
      }
    }
    progressLine.scrollIntoView(true);
  };

  /**
   * Ask the server (data-check-url) which shown questions of `section` it would refuse, as
   * sending would; resolve to {KEY: message}, or {} when all is well or it cannot be asked
   * within 4 s (no connection: the part is left unchecked, sending checks everything).
   */
  const checkPart = (section) => {
    const url = form.getAttribute("data-check-url");
    const keys = findAll(".q[data-key]", section)
      .filter((question) => !question.hidden)
      .map((question) => question.getAttribute("data-key"));
    if (!url || !keys.length || !window.fetch || !window.FormData) return Promise.resolve({});
    const body = new FormData(form);
    keys.forEach((key) => body.append("check", key));
    const asked = fetch(url, { method: "POST", body, credentials: "same-origin" })
      .then((response) => {
        if (response.status === 409) window.location.reload(); // closed: the page says so
        return response.ok ? response.json() : {};
      })
      .then((answer) => answer.errors || {})
      .catch(() => ({}));
    return Promise.race([asked, new Promise((resolve) => window.setTimeout(() => resolve({}), 4000))]);
  };

  /** Show the remarks `errors` ({KEY: message}) on the questions of `section`, with a
   * summary above them that names each question (a link to it); none: clear them. */
  const showRemarks = (section, errors) => {
    findAll(".js-remark", section).forEach((element) => element.remove());
    findAll(".q[data-key]", section).forEach((question) => {
      const message = errors[question.getAttribute("data-key")];
      question.classList.toggle("has-error", Boolean(message));
      findAll(":scope > .error", question).forEach((old) => old.remove());
      if (!message) {
        question.removeAttribute("aria-invalid");
        return;
      }
      const remark = createElement("p", "error js-remark", message);
      remark.id = "err-" + question.getAttribute("data-key");
      const legend = question.querySelector("legend");
      question.insertBefore(remark, legend ? legend.nextSibling : question.firstChild);
      question.setAttribute("aria-invalid", "true");
    });
    const keys = Object.keys(errors);
    if (!keys.length) return;
    const stale = document.getElementById("error-summary");
    if (stale) stale.remove(); // the server's remarks from the last sending are superseded
    const summary = createElement("div", "notice error-summary js-remark");
    summary.id = "error-summary";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    summary.appendChild(createElement("p", "", uiText("check")));
    const list = createElement("ul", "");
    findAll(".q[data-key]", section)
      .filter((question) => errors[question.getAttribute("data-key")])
      .forEach((question) => {
        const item = createElement("li", "");
        const legend = (question.querySelector("legend") || question).cloneNode(true);
        findAll(".required, .sr", legend).forEach((mark) => mark.remove()); // the label only
        const label = question.getAttribute("data-label") || legend.textContent.trim();
        const link = createElement("a", "", label);
        link.href = "#" + question.id;
        item.appendChild(link);
        list.appendChild(item);
      });
    summary.appendChild(list);
    const heading = section.querySelector("h2");
    section.insertBefore(summary, heading ? heading.nextSibling : section.firstChild);
    summary.focus();
  };

  /** "Next": check the part first; move on when nothing is refused (or it cannot be asked). */
  const nextPage = () => {
    const leaving = currentSection;
    nextButton.disabled = true;
    checkPart(leaving).then(guarded((errors) => {
      nextButton.disabled = false;
      showRemarks(leaving, errors);
      if (!Object.keys(errors).length && leaving === currentSection) turnPage(1);
    }));
  };

  /** Add the progress line and the buttons; start at the first section with a remark. */
  const buildPager = () => {
    progressLine = createElement("p", "progress");
    pager = createElement("div", "pager");
    backButton = createElement("button", "back", uiText("back"));
    nextButton = createElement("button", "next", uiText("next"));
    pager.appendChild(backButton);
    pager.appendChild(nextButton);
    backButton.addEventListener("click", guarded(() => turnPage(-1)));
    nextButton.addEventListener("click", guarded(nextPage));
    form.insertBefore(progressLine, sections[0]);
    form.appendChild(pager);
    sections.forEach((section) => {
      const heading = section.querySelector("h2");
      if (heading) heading.tabIndex = -1; // focused by turnPage
    });
    const remark = form.querySelector(".has-error");
    currentSection = (remark && remark.closest("section")) || sections[0];
  };

  /** Show one section at a time (`on`) or all of them. */
  const setPaged = (on) => {
    if (on === paged) return;
    paged = on;
    form.classList.toggle("js-paged", on);
    if (progressLine) {
      pager.hidden = !on;
      progressLine.hidden = !on;
    }
    if (!on) {
      sections.forEach((section) => { section.hidden = false; });
      if (actions) actions.hidden = false;
      return;
    }
    try {
      if (!progressLine) buildPager();
      renderPage();
    } catch (error) {
      setPaged(false); // never leave a half-paged form behind
      throw error;
    }
  };

  const narrowScreen = window.matchMedia && window.matchMedia("(max-width: 47.99em)");
  if (narrowScreen && sections.length > 1) {
    const followScreenWidth = guarded(() => setPaged(narrowScreen.matches));
    followScreenWidth();
    if (narrowScreen.addEventListener) narrowScreen.addEventListener("change", followScreenWidth);
    else narrowScreen.addListener(followScreenWidth);
  }

  // ---- Remarks from the server: put the focus on them ------------------------------------

  guarded(() => {
    if (!form.querySelector(".has-error")) return;
    const target = document.getElementById("error-summary") || form.querySelector(".has-error");
    if (!target.hasAttribute("tabindex")) target.tabIndex = -1;
    target.focus();
  })();

  // ---- Following the answers ---------------------------------------------------------------

  /** Update the conditions and the page; save the draft now (change) or after typing (input). */
  const answerChanged = guarded((event) => {
    applyConditions();
    if (paged) renderPage();
    clearTimeout(saveTimer);
    unsaved = true;
    if (event.type === "change") saveDraft();
    else saveTimer = setTimeout(saveDraft, 400);
  });

  form.addEventListener("change", answerChanged);
  form.addEventListener("input", answerChanged);
  window.addEventListener("pagehide", () => {
    if (unsaved) saveDraft();
  });
  // Enter in a one-line field must not send a half-filled questionnaire.
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.tagName === "INPUT") event.preventDefault();
  });

  // ---- The outbox: sending over bad Wi-Fi --------------------------------------------------
  // The form is sent through fetch with an outbox in localStorage, so that a submission made
  // without a connection is kept on the phone and sent when the network is back. It leaves
  // the phone only after the server answered (thank-you, or the form back with remarks); a
  // network error, a 5xx, 408 or 429 keeps it queued. Retries are safe: the server stores a
  // submission_id once.

  const OUTBOX = "outbox:" + draftKey;
  const FIRST_PAUSE_MS = 4000;
  const LONGEST_PAUSE_MS = 60000;
  let sending = false;
  let pauseMs = FIRST_PAUSE_MS;
  let retryTimer = 0;
  let statusNotice; // "sending" or "offline" with a retry button, above the form

  /** Return the queued submission, or a false value. */
  const queuedSubmission = () => keepsDrafts && loadStored(OUTBOX);

  /** Queue `entry` ({action, body, queued_at}); null empties the outbox. */
  const setQueued = (entry) => store(OUTBOX, entry);

  /** Say the interface text `name` above the form, with a "try again now" button if `offerRetry`. */
  const showStatus = (name, offerRetry) => {
    if (!statusNotice) {
      statusNotice = createElement("div", "notice outbox");
      statusNotice.setAttribute("role", "status");
      statusNotice.setAttribute("aria-live", "polite");
      form.parentNode.insertBefore(statusNotice, form);
    }
    statusNotice.textContent = "";
    statusNotice.appendChild(createElement("p", "", uiText(name)));
    if (offerRetry) {
      const retryButton = createElement("button", "retry", uiText("retry"));
      retryButton.addEventListener("click", guarded(() => deliver()));
      statusNotice.appendChild(retryButton);
    }
    statusNotice.hidden = false;
  };

  /** Replace the page with the server's answer (the thank-you page, or the form with remarks). */
  const replacePage = (html) => {
    document.open();
    document.write(html);
    document.close();
  };

  /** Try again after a pause that doubles each time, up to a minute. */
  const retryLater = () => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(deliver, pauseMs);
    pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS);
  };

  /** Send the queued submission, unless one is on its way; `renewed` marks the try with a fresh token. */
  const deliver = guarded((renewed) => {
    const entry = queuedSubmission();
    if (!entry || sending) return;
    sending = true;
    if (sendButton) sendButton.disabled = true;
    showStatus("sending");
    fetch(entry.action, {
      method: "POST",
      body: entry.body,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    })
      .then((response) => response.text().then((html) => [response.status, html]))
      .then(([status, html]) => {
        sending = false;
        if (status >= 500 || status === 408 || status === 429) throw new Error("retry " + status);
        const freshToken = status === 400 && !renewed &&
          new DOMParser().parseFromString(html, "text/html").querySelector("[name=csrf_token]");
        if (freshToken) { // the session had expired: send again once with the fresh token
          const body = new URLSearchParams(entry.body);
          body.set("csrf_token", freshToken.value);
          entry.body = body.toString();
          setQueued(entry);
          deliver(true);
          return;
        }
        setQueued(null); // answered by the server: the outbox entry is done
        replacePage(html);
      })
      .catch(() => {
        sending = false;
        if (sendButton) sendButton.disabled = false;
        showStatus("offline", true);
        retryLater();
      });
  });

  window.addEventListener("online", () => {
    pauseMs = FIRST_PAUSE_MS;
    deliver();
  });

  form.addEventListener("submit", guarded((event) => {
    saveDraft();
    if (!keepsDrafts || !window.fetch || !window.URLSearchParams) {
      // A plain post; the button rests for a moment against sending twice.
      if (sendButton) {
        sendButton.disabled = true;
        setTimeout(() => { sendButton.disabled = false; }, 8000);
      }
      return;
    }
    event.preventDefault();
    if (sending) return;
    const body = new URLSearchParams(new FormData(form)).toString();
    setQueued({ action: form.getAttribute("action"), body, queued_at: new Date().toISOString() });
    pauseMs = FIRST_PAUSE_MS;
    deliver();
  }));

  // Back from the browser's page cache: the button may still be resting.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && sendButton) sendButton.disabled = false;
  });

  // A submission queued before a reload goes out now.
  if (queuedSubmission()) {
    showStatus("offline", true);
    deliver();
  }
})();
