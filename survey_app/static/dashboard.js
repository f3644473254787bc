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

  /** Return the figure's layout, with larger text and height on the projector. */
  const scaled = (figure) => {
    if (!present) return figure.layout;
    const layout = JSON.parse(JSON.stringify(figure.layout));
    layout.font = Object.assign({}, layout.font, { size: 22 });
    layout.height = Math.min(Math.max(layout.height * 1.3, window.innerHeight * 0.5), window.innerHeight * 0.72);
    return layout;
  };

  /** Draw the latest figure of `key` (a hidden slide waits until it is shown). */
  const draw = (key) => {
    const box = root.querySelector('[data-figure="' + key + '"]');
    if (!box || !window.Plotly) return;
    if (present && box.closest("[hidden]")) return;
    const figure = latest[key];
    if (figure) {
      box.hidden = false;
      window.Plotly.react(box, figure.data, scaled(figure), config);
    } else {
      window.Plotly.purge(box);
      box.hidden = true;
    }
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
      latest[question.key] = question.figure;
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
        if (answer.status === 304 || !answer.ok) return null;
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
    let at = 0;
    const show = (index) => {
      at = (index + slides.length) % slides.length;
      slides.forEach((slide, i) => { slide.hidden = i !== at; });
      draw(slides[at].getAttribute("data-key"));
    };
    document.addEventListener("keydown", (event) => {
      if (event.key === "ArrowRight" || event.key === " " || event.key === "PageDown") {
        show(at + 1);
        event.preventDefault();
      }
      if (event.key === "ArrowLeft" || event.key === "PageUp") {
        show(at - 1);
        event.preventDefault();
      }
      if (event.key === "f" || event.key === "F") {
        if (document.fullscreenElement) document.exitFullscreen();
        else if (root.requestFullscreen) root.requestFullscreen();
      }
    });
    root.addEventListener("click", (event) => {
      if (!event.target.closest("a,button")) show(at + 1);
    });
  }

  poll();
  window.setInterval(() => {
    if (!document.hidden) poll();
  }, pollMs);
})();
