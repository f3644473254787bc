/* Points allocation: a live count of the points left and − / + buttons per option.
   The form works without it: the server checks that the points add up. Loaded once
   per points question; binds each list once. */
(function () {
  "use strict";

  // Arabic-Indic and Persian digits count as digits, as the server reads them.
  function latinDigits(text) {
    return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (digit) => String(digit.charCodeAt(0) & 0xF));
  }

  function whole(input) {
    const value = latinDigits(input.value.trim());
    return /^[0-9]+$/.test(value) ? parseInt(value, 10) : 0;
  }

  // The text `name` (data-left, data-over: a JSON list of the plural forms of the page's
  // language) for `count`, filled in. data-plural holds the form of each count 0-199; a
  // larger count takes the form of 100 plus its last two digits.
  function counted(list, name, count) {
    const forms = JSON.parse(list.dataset[name]);
    const rule = list.dataset.plural || "";
    const form = parseInt(rule.charAt(count < 200 ? count : 100 + (count % 100)), 10) || 0;
    return (forms[form] || forms[forms.length - 1]).replace("{num}", count);
  }

  function bind(list) {
    if (list.dataset.bound) return;
    list.dataset.bound = "1";
    const budget = parseInt(list.dataset.points, 10);
    const inputs = Array.prototype.slice.call(list.querySelectorAll("input"));
    const counter = list.parentNode.querySelector(".points-left");
    counter.hidden = false;

    function update() {
      const given = inputs.reduce((sum, input) => sum + whole(input), 0);
      const left = budget - given;
      if (left > 0) counter.textContent = counted(list, "left", left);
      else if (left < 0) counter.textContent = counted(list, "over", -left);
      else counter.textContent = list.dataset.done;
      counter.className = "points-left" + (left < 0 ? " over" : left === 0 ? " done" : "");
      return left;
    }

    inputs.forEach((input) => {
      function step(change, text, label) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "points-step";
        button.textContent = text;
        button.setAttribute("aria-label", label);
        button.addEventListener("click", () => {
          const next = whole(input) + change;
          if (next < 0 || (change > 0 && update() <= 0)) return;
          input.value = String(next);
          input.dispatchEvent(new Event("input", { bubbles: true }));
        });
        return button;
      }
      const name = input.labels && input.labels[0] ? input.labels[0].textContent : "";
      input.parentNode.insertBefore(step(-1, "−", "− " + name), input);
      input.parentNode.appendChild(step(1, "+", "+ " + name));
      input.addEventListener("input", update);
    });
    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("ul.points[data-points]"), bind);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
