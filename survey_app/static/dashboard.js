/* Live dashboard and presenter view: poll results.json (ETag, 304) and redraw. */
(() => {
  "use strict";
  const root = document.querySelector("[data-role=dashboard]");
  if (!root || !window.fetch) return;
  const present = root.getAttribute("data-mode") === "present";
  const baseUrl = root.getAttribute("data-results-url");
  const pollMs = parseInt(root.getAttribute("data-poll-ms"), 10) || 4000;
  const filters = document.querySelector("[data-role=filters]");
  const config = { displayModeBar: false, responsive: true, staticPlot: present };
  const latest = {};
  let etag = null;

  /** Return the query string: the page's own, with the filters' scope, group and language. */
  const query = () => {
    const params = new URLSearchParams(window.location.search);
    if (filters) {
      ["scope", "group", "lang"].forEach((name) => {
        const field = filters.elements[name];
        if (field) params.set(name, field.value);
      });
    }
    return params.toString();
  };

  /** Draw the latest figure of `key` (a hidden slide waits until it is shown). */
  const draw = (key) => {
    const box = root.querySelector('[data-figure="' + key + '"]');
    if (!box || !window.Plotly) return;
    // the box itself is hidden while it has no figure: only its slide counts
    if (present && box.closest(".slide").hidden) return;
    const figure = latest[key];
    if (figure) {
      box.hidden = false;
      const fit = window.SurveyCharts.fitted(figure, box, present);
      window.Plotly.react(box, fit.data, fit.layout, config);
    } else {
      window.Plotly.purge(box);
      box.hidden = true;
    }
    if (present) fitTable(box.closest(".slide"));
  };

  /** Make a slide's wall and table smaller until the slide needs no scrolling (the projector);
   * a wall still too long loses its oldest answers from view. */
  const fitTable = (slide) => {
    if (!slide) return;
    const wall = slide.querySelector("[data-wall]");
    const overflows = () => slide.scrollHeight > slide.clientHeight + 1
      || (wall && wall.scrollHeight > wall.clientHeight + 1);
    ["[data-wall]", "[data-table]"].forEach((selector) => {
      const part = slide.querySelector(selector);
      if (!part) return;
      let size = 1.6;
      part.style.fontSize = size + "rem";
      while (overflows() && size > 0.9) {
        size -= 0.1;
        part.style.fontSize = size.toFixed(1) + "rem";
      }
    });
    const answers = Array.from(slide.querySelectorAll(".wall-texts li"));
    answers.forEach((item) => { item.hidden = false; });
    for (let i = answers.length - 1; i > 0 && overflows(); i -= 1) answers[i].hidden = true;
  };

  /** Show a results.json answer: counts, the threshold, the arrivals figure, each question's figure and table. */
  const apply = (body) => {
    Array.from(document.querySelectorAll("[data-role=count]")).forEach((element) => {
      element.textContent = String(body.n_responses);
    });
    Array.from(document.querySelectorAll("[data-role=threshold]")).forEach((element) => {
      element.textContent = body.threshold;
    });
    latest.arrivals = body.arrivals;
    draw("arrivals");
    body.questions.forEach((question) => {
      // on the projector an open question shows its wall (approved answers) instead
      latest[question.key] = present && question.wall ? null : question.figure;
      const wall = root.querySelector('[data-wall="' + question.key + '"]');
      if (wall) wall.innerHTML = question.wall || ""; // escaped by the server's templates
      const table = root.querySelector('[data-table="' + question.key + '"]');
      if (table) table.innerHTML = question.table; // escaped by the server's templates
      draw(question.key);
    });
  };

  /** Ask for the results; an unchanged answer (304) or an error leaves the page as it is. */
  const poll = () => {
    const headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    return fetch(baseUrl + "?" + query(), { credentials: "same-origin", headers })
      .then((answer) => {
        const preparing = answer.status === 202; // protection decided in the background
        document.querySelectorAll("[data-role=preparing]").forEach((notice) => {
          notice.hidden = !preparing;
        });
        if (answer.status === 304 || preparing || !answer.ok) return null;
        etag = answer.headers.get("ETag");
        return answer.json();
      })
      .then((body) => {
        if (body) apply(body);
      })
      .catch(() => { /* the next poll tries again */ });
  };

  if (filters) {
    filters.addEventListener("change", (event) => {
      if (event.target.name === "lang") {
        filters.submit();
        return;
      }
      etag = null;
      window.history.replaceState(null, "", "?" + query());
      poll();
    });
  }

  if (present) {
    const slides = Array.from(root.querySelectorAll(".slide"));
    const asked = window.location.hash; // the slide named in the address, if any
    let at = Math.max(0, slides.findIndex((slide) => "#" + slide.getAttribute("data-key") === asked));
    const paceUrl = root.getAttribute("data-pace-url");
    /** In a paced workshop, move the phones with the slide (its data-move: waiting on the
     * join slide, a question key, the results on the end slide). */
    const moveRoom = (slide) => {
      if (!paceUrl) return;
      fetch(paceUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": root.getAttribute("data-pace-csrf") },
        body: new URLSearchParams({ move: slide.getAttribute("data-move") }),
      }).catch(() => { /* the next move tries again */ });
    };
    /** Show slide `index` (held at the first and the last: no wrapping round, so a clicker
     * pressed once too often does not send a room back to the start), draw its chart and
     * keep its place in the address; unless `quiet`, a paced room moves with it. */
    const show = (index, quiet) => {
      const next = Math.min(Math.max(index, 0), slides.length - 1);
      if (next === at && !quiet) return;
      at = next;
      slides.forEach((slide, i) => { slide.hidden = i !== at; });
      const key = slides[at].getAttribute("data-key");
      window.history.replaceState(null, "", "#" + key);
      draw(key);
      if (!quiet) moveRoom(slides[at]);
    };
    const keys = {
      ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, Enter: 1, n: 1,
      ArrowLeft: -1, ArrowUp: -1, PageUp: -1, Backspace: -1, p: -1,
    };
    document.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (keys[event.key]) show(at + keys[event.key]);
      else if (event.key === "Home") show(0);
      else if (event.key === "End") show(slides.length - 1);
      else if (event.key === "f" || event.key === "F") {
        if (document.fullscreenElement) document.exitFullscreen();
        else if (root.requestFullscreen) root.requestFullscreen();
      } else return;
      event.preventDefault();
    });
    if (!paceUrl) {
      // a click moves on; in a paced room only keys (and clickers) do, so that a stray
      // click on the projector's laptop does not move everyone's phone
      root.addEventListener("click", (event) => {
        if (!event.target.closest("a,button")) show(at + 1);
      });
    }
    let resizing = null;
    window.addEventListener("resize", () => {
      window.clearTimeout(resizing);
      resizing = window.setTimeout(() => draw(slides[at].getAttribute("data-key")), 150);
    });
    show(at, true);
    const stateUrl = root.getAttribute("data-pace-state-url");
    if (stateUrl && !asked) {
      // opened without a slide: show the question the room is on
      fetch(stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((answer) => (answer.ok ? answer.json() : null))
        .then((state) => {
          const move = state && state.state === "results" ? "results" : state && state.question;
          const found = move ? slides.findIndex((s) => s.getAttribute("data-move") === move) : -1;
          if (found >= 0) show(found, true);
        })
        .catch(() => { /* stays on the join slide */ });
    }
  } else {
    let resizing = null;
    window.addEventListener("resize", () => {
      window.clearTimeout(resizing);
      resizing = window.setTimeout(() => Object.keys(latest).forEach(draw), 250);
    });
  }

  poll();
  window.setInterval(() => {
    if (!document.hidden) poll();
  }, pollMs);
})();
