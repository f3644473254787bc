/* Choice questions on the participant's pages (whole form and paced page); without it
 * the server asks back instead.
 *
 * What the templates give this script: in a choice question, the options as inputs named
 * q.KEY (radio or checkbox, "other" among their values) and the text q.KEY.other.
 *
 * Typing into "other, please specify" chooses "Other", so the text is never lost under
 * another answer (the server refuses that combination and asks back).
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
})();
