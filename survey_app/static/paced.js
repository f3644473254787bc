/* Follows the facilitator in a paced workshop; without it the page's links and form still work.
 *
 * What the template (templates/participate/paced.html) gives this script: #paced with
 * data-step (the room's step when the page was made), data-now-url (GET: {step, state,
 * question}, ETag and 304), data-page-url (the current question's page) and
 * data-text-offline; inside it, form.paced-form posting one question's answer.
 *
 * Every 2 s (not while the page is hidden) it asks data-now-url. When the step or the
 * state (data-state: closed, reopened, pacing switched off) differs, it sends an answer
 * typed but not sent yet, then loads the page the room is on and puts its #paced in
 * place of this one: no reload. Answers are sent the same way. When the workshop is no
 * longer paced or open, it sends the typed answer (the server keeps or refuses it) and
 * reloads the page.
 */
(() => {
  "use strict";

  const POLL_MS = 2000;
  const current = () => document.getElementById("paced");
  if (!current() || !window.fetch || !window.DOMParser) return;

  let step = current().getAttribute("data-step");
  let state = current().getAttribute("data-state");
  let typed = false; // an answer changed since the page came
  let busy = false; // a request of ours is under way

  /** Put the #paced of `html` in place of ours, run its scripts, and focus its heading. */
  const show = (html) => {
    const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("paced");
    if (!fresh) {
      window.location.reload();
      return;
    }
    current().replaceWith(fresh);
    Array.from(fresh.querySelectorAll("script[src]")).forEach((old) => {
      const script = document.createElement("script");
      script.src = old.src;
      old.replaceWith(script);
    });
    step = fresh.getAttribute("data-step");
    state = fresh.getAttribute("data-state");
    typed = false;
    const heading = fresh.querySelector("h1, legend");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  };

  /** Say that the network failed; the form and what was typed stay as they are. */
  const showOffline = () => {
    const root = current();
    if (root.querySelector(".offline")) return;
    const note = document.createElement("p");
    note.className = "notice offline";
    note.setAttribute("role", "alert");
    note.textContent = root.getAttribute("data-text-offline") || "";
    root.insertBefore(note, root.firstChild);
  };

  /** Send `form` (its answer) and show the page the server answers with. */
  const send = (form) => fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    credentials: "same-origin",
  }).then((response) => response.text()).then(show);

  /** Load the page of the room's current question, sending an unsent answer first. */
  const follow = () => {
    const form = current().querySelector("form.paced-form");
    if (form && typed) return send(form);
    return fetch(current().getAttribute("data-page-url"), { credentials: "same-origin" })
      .then((response) => response.text())
      .then(show);
  };

  /** Ask where the room is; follow it when it moved. */
  const poll = () => {
    if (busy || document.hidden) return;
    busy = true;
    fetch(current().getAttribute("data-now-url"), { cache: "no-cache", credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((now) => {
        if (!now || (String(now.step) === step && now.state === state)) return null;
        return follow();
      })
      .catch(() => null) // no connection: ask again at the next tick
      .then(() => {
        busy = false;
      });
  };

  document.addEventListener("input", (event) => {
    if (event.target.closest && event.target.closest("form.paced-form")) typed = true;
  });
  document.addEventListener("change", (event) => {
    if (event.target.closest && event.target.closest("form.paced-form")) typed = true;
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches || !form.matches("form.paced-form")) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    send(form)
      .catch(() => {
        if (button) button.disabled = false;
        showOffline();
      })
      .then(() => {
        busy = false;
      });
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
  window.setInterval(poll, POLL_MS);
})();
