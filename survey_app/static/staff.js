/* Keeps the response counter of a workshop page up to date. */
(() => {
  "use strict";
  const counter = document.getElementById("response-count");
  if (!counter || !window.fetch) return;
  const url = counter.getAttribute("data-count-url");
  const refresh = () => {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((answer) => (answer.ok ? answer.json() : null))
      .then((data) => {
        if (data) counter.textContent = String(data.n_responses);
      })
      .catch(() => { /* offline for a moment: keep the last number */ });
  };
  setInterval(refresh, 5000);
})();
