/* Follows a briefing build and starts the download when it is ready. */
(() => {
  "use strict";
  const page = document.getElementById("briefing-job");
  if (!page || !window.fetch) return;
  const statusUrl = page.getAttribute("data-status-url");
  const downloadUrl = page.getAttribute("data-download-url");
  const bar = document.getElementById("briefing-progress");
  const message = document.getElementById("briefing-message");
  let misses = 0;
  const show = (data) => {
    bar.max = data.steps;
    bar.value = data.step;
    bar.textContent = `${data.step} / ${data.steps}`;
    message.textContent = data.message;
  };
  const check = () => {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((answer) => {
        if (answer.redirected) { /* the session ended: the page itself asks to log in */
          window.location.reload();
          return undefined;
        }
        return answer.ok ? answer.json() : null;
      })
      .then((data) => {
        if (data === undefined) return;
        if (!data) {
          misses += 1; /* the state is gone (e.g. another server restarted): ask the page */
          if (misses > 3) window.location.reload();
          else setTimeout(check, 2000);
          return;
        }
        show(data);
        if (data.state === "lost") window.location.reload(); /* asks again: starts it anew */
        else if (data.state === "done") window.location.assign(downloadUrl);
        else if (data.state !== "failed") setTimeout(check, 1000);
      })
      .catch(() => setTimeout(check, 3000)); /* offline for a moment: try again */
  };
  setTimeout(check, 1000);
})();
