/* Moderating free-text answers by keyboard: J/K move, A approve, H hide, U undo, X tick. */
(() => {
  "use strict";
  const list = document.querySelector("[data-role=moderation]");
  if (!list) return;
  const answers = Array.from(list.querySelectorAll(".text-answer"));
  if (!answers.length) return;
  // -1: no answer chosen yet (J takes the first; A, H, U and X wait for one)
  let at = answers.findIndex((item) => "#" + item.id === window.location.hash);

  /** Focus answer `index` (kept within the list) and bring it into view. */
  const focus = (index) => {
    at = Math.min(Math.max(index, 0), answers.length - 1);
    answers[at].focus();
  };

  const tickAll = document.querySelector("[data-role=tick-all]");
  if (tickAll) {
    tickAll.addEventListener("change", () => {
      answers.forEach((item) => {
        const box = item.querySelector("input[name=answer]");
        if (box) box.checked = tickAll.checked;
      });
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input:not([type=checkbox]),textarea,select")) return;
    const key = event.key.toLowerCase();
    const item = answers[at];
    if (!item && key !== "j" && key !== "arrowdown") return;
    if (key === "j" || key === "arrowdown") focus(at + 1);
    else if (key === "k" || key === "arrowup") focus(at - 1);
    else if (key === "x") {
      const box = item.querySelector("input[name=answer]");
      if (box) box.checked = !box.checked;
    } else if (key === "a" || key === "h" || key === "u") {
      const button = item.querySelector('button[data-key="' + key + '"]');
      if (!button) return;
      // after the page comes back, go on with the next answer
      const next = answers[Math.min(at + 1, answers.length - 1)];
      const form = button.form;
      form.action = form.action.split("#")[0];
      sessionStorage.setItem("moderation-next", next.id);
      button.click();
    } else return;
    event.preventDefault();
  });

  const next = sessionStorage.getItem("moderation-next");
  sessionStorage.removeItem("moderation-next");
  const found = next ? answers.findIndex((item) => item.id === next) : -1;
  if (found >= 0) focus(found);
  else if (at >= 0) focus(at);
})();
