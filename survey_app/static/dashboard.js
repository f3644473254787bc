/* Live dashboard and presenter view: poll results.json (ETag, 304) and redraw. */
(function () {
  "use strict";
  var root = document.querySelector("[data-role=dashboard]");
  if (!root || !window.fetch) { return; }
  var present = root.getAttribute("data-mode") === "present";
  var baseUrl = root.getAttribute("data-results-url");
  var pollMs = parseInt(root.getAttribute("data-poll-ms"), 10) || 4000;
  var filters = document.querySelector("[data-role=filters]");
  var etag = null;
  var latest = {};
  var config = {displayModeBar: false, responsive: true, staticPlot: present};

  function query() {
    var params = new URLSearchParams(window.location.search);
    if (filters) {
      ["scope", "group", "lang"].forEach(function (name) {
        var field = filters.elements[name];
        if (field) { params.set(name, field.value); }
      });
    }
    return params.toString();
  }

  function scaled(figure) {
    if (!present) { return figure.layout; }
    var layout = JSON.parse(JSON.stringify(figure.layout));
    layout.font = Object.assign({}, layout.font, {size: 22});
    layout.height = Math.min(Math.max(layout.height * 1.3, window.innerHeight * 0.5), window.innerHeight * 0.72);
    return layout;
  }

  function draw(key) {
    var box = root.querySelector('[data-figure="' + key + '"]');
    if (!box || !window.Plotly) { return; }
    if (present && box.closest("[hidden]")) { return; }
    var figure = latest[key];
    if (figure) {
      box.hidden = false;
      window.Plotly.react(box, figure.data, scaled(figure), config);
    } else {
      window.Plotly.purge(box);
      box.hidden = true;
    }
  }

  function apply(body) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-role=count]"), function (el) {
      el.textContent = String(body.n_responses);
    });
    latest.arrivals = body.arrivals;
    draw("arrivals");
    body.questions.forEach(function (question) {
      latest[question.key] = question.figure;
      var table = root.querySelector('[data-table="' + question.key + '"]');
      if (table) { table.innerHTML = question.table; }  /* escaped by the server's templates */
      draw(question.key);
    });
  }

  function poll() {
    var headers = {"Accept": "application/json"};
    if (etag) { headers["If-None-Match"] = etag; }
    return fetch(baseUrl + "?" + query(), {credentials: "same-origin", headers: headers})
      .then(function (answer) {
        if (answer.status === 304 || !answer.ok) { return null; }
        etag = answer.headers.get("ETag");
        return answer.json();
      })
      .then(function (body) { if (body) { apply(body); } })
      .catch(function () { /* the next poll tries again */ });
  }

  if (filters) {
    filters.addEventListener("change", function (event) {
      if (event.target.name === "lang") { filters.submit(); return; }
      etag = null;
      window.history.replaceState(null, "", "?" + query());
      poll();
    });
  }

  if (present) {
    var slides = Array.prototype.slice.call(root.querySelectorAll(".slide"));
    var at = 0;
    var show = function (index) {
      at = (index + slides.length) % slides.length;
      slides.forEach(function (slide, i) { slide.hidden = i !== at; });
      draw(slides[at].getAttribute("data-key"));
    };
    document.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === " " || event.key === "PageDown") { show(at + 1); event.preventDefault(); }
      if (event.key === "ArrowLeft" || event.key === "PageUp") { show(at - 1); event.preventDefault(); }
      if (event.key === "f" || event.key === "F") {
        if (document.fullscreenElement) { document.exitFullscreen(); } else if (root.requestFullscreen) { root.requestFullscreen(); }
      }
    });
    root.addEventListener("click", function (event) { if (!event.target.closest("a,button")) { show(at + 1); } });
  }

  poll();
  window.setInterval(function () { if (!document.hidden) { poll(); } }, pollMs);
}());
