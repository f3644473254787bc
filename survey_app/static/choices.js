/* Choice questions on the participant's pages (whole form and paced page); without it
 * the server asks back instead.
 *
 * What the templates give this script: in a choice question, the options as inputs named
 * q.KEY (radio or checkbox, "other" among their values) and the text q.KEY.other.
 *
 * - Typing into "other, please specify" chooses "Other", so the text is never lost under
 *   another answer (the server refuses that combination and asks back).
 * - A "clear" button (button.clear, value: the field's name) empties that answer on the
 *   page; without this script it sends the form and gets it back without the answer.
 * - In a multiple choice with data-max-choices, a tick beyond the limit is undone at once
 *   and the question's hint (.hint) is announced; in a ranking, an option chosen for one
 *   place leaves the place it had (each option has one place).
 */
(() => {
  "use strict";

  document.addEventListener("input", (event) => {
    const field = event.target;
    if (!field.matches || !field.matches('input[type="text"][name$=".other"]')) return;
    if (!field.value.trim()) return;
    const name = field.name.slice(0, -".other".length);
    const form = field.form || document;
    const option = Array.from(form.querySelectorAll('input[value="other"]'))
      .find((input) => input.name === name);
    if (option && !option.checked) {
      option.checked = true;
      option.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button.clear");
    if (!button) return;
    event.preventDefault();
    const form = button.form || document;
    Array.from(form.querySelectorAll("input, select, textarea"))
      .filter((field) => field.name === button.value || field.name === button.value + ".other")
      .forEach((field) => {
        if (field.type === "radio" || field.type === "checkbox") field.checked = false;
        else field.value = "";
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
  });

  document.addEventListener("change", (event) => {
    const field = event.target;
    if (!field.name || !field.closest) return;
    const question = field.closest("[data-max-choices]");
    if (question && field.type === "checkbox" && field.checked) {
      const limit = Number(question.getAttribute("data-max-choices"));
      const ticked = Array.from(question.querySelectorAll('input[type="checkbox"]'))
        .filter((box) => box.checked);
      if (ticked.length > limit) {
        field.checked = false;
        const hint = question.querySelector(".hint");
        if (hint) {
          hint.classList.add("over");
          hint.setAttribute("role", "alert");
          const text = hint.textContent;
          hint.textContent = "";
          hint.textContent = text; // announced again
        }
      }
      return;
    }
    if (field.tagName === "SELECT" && field.value && field.closest("ol.ranking")) {
      Array.from(field.closest("ol.ranking").querySelectorAll("select"))
        .filter((other) => other !== field && other.value === field.value)
        .forEach((other) => {
          other.value = "";
          other.dispatchEvent(new Event("change", { bubbles: true }));
        });
    }
  });
})();
