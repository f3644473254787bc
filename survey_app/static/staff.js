/* Keeps the response counter of a workshop page up to date. */
(function () {
  "use strict";
  var counter = document.getElementById("response-count");
  if (!counter || !window.fetch) { return; }
  var url = counter.getAttribute("data-count-url");
  function refresh() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (data) { if (data) { counter.textContent = String(data.n_responses); } })
      .catch(function () { /* offline for a moment: keep the last number */ });
  }
  setInterval(refresh, 5000);
}());
