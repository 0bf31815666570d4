// The composer's per-account tabs (templates/posts/_composer_variants.html): with two or more accounts
// ticked, one tab per ticked account to customise its delivery of the post group. Empty fields keep
// the shared text and options; the server merges them (posts.groups.delivery_fields).
(function () {
  "use strict";

  const form = document.getElementById("composer");
  const box = document.getElementById("variants");
  if (!form || !box) return;
  const shared = form.querySelector("[name=content]");
  const tabs = Array.from(box.querySelectorAll("[role=tab]"));
  const panels = new Map(Array.from(box.querySelectorAll("[role=tabpanel]"), (panel) => [panel.dataset.account, panel]));
  let current = null;

  function ticked() {
    return Array.from(form.querySelectorAll("input[name=accounts]:checked"), (input) => input.value);
  }

  function select(id, focus) {
    current = id;
    for (const tab of tabs) {
      const on = tab.dataset.account === id;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      if (on && focus) tab.focus();
    }
    for (const [account, panel] of panels) panel.hidden = account !== id;
  }

  // This account's count of the text it will send (its own, else the shared), as composer.js counts.
  const rules = JSON.parse(document.getElementById("counter-rules").textContent);
  function count(panel) {
    const account = rules.accounts[panel.dataset.account];
    const out = panel.querySelector(".variant-counter");
    if (!account || !out || !window.socialhubWeightedLength) return;
    const own = panel.querySelector("textarea[name$='-content']").value;
    const length = window.socialhubWeightedLength(own.trim() ? own : shared.value, account);
    const limit = account.limit;
    let state = "ok";
    if (limit !== null && length > limit) state = "over";
    else if (limit !== null && length >= limit * rules.warning_ratio) state = "warn";
    const item = document.createElement("li");
    item.className = "counter " + state;
    item.dataset.length = String(length);
    item.textContent = `${account.network}: ${limit === null ? length : `${length} / ${limit}`}${own.trim() ? "" : " (the shared text)"}`;
    out.replaceChildren(item);
  }

  function customised(panel) {
    return Array.from(panel.querySelectorAll("textarea, input, select")).some((field) => field.value.trim() !== "");
  }

  function mark() {
    for (const tab of tabs) tab.querySelector(".variant-mark").hidden = !customised(panels.get(tab.dataset.account));
    for (const panel of panels.values()) count(panel);
  }

  function render() {
    const ids = ticked();
    box.hidden = ids.length < 2;
    const shown = tabs.filter((tab) => ids.includes(tab.dataset.account));
    for (const tab of tabs) tab.hidden = !shown.includes(tab);
    if (!shown.some((tab) => tab.dataset.account === current)) {
      // A tab with a server error first, so it is not hidden behind another.
      const first = shown.find((tab) => panels.get(tab.dataset.account).querySelector(".has-error")) || shown[0];
      if (first) select(first.dataset.account, false);
      else for (const panel of panels.values()) panel.hidden = true;
    }
    mark();
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => select(tab.dataset.account, false));
    tab.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const shown = tabs.filter((other) => !other.hidden);
      const at = shown.indexOf(tab) + (event.key === "ArrowRight" ? 1 : -1);
      const next = shown[(at + shown.length) % shown.length];
      if (next) select(next.dataset.account, true);
      event.preventDefault();
    });
  }
  for (const button of box.querySelectorAll(".variant-copy")) {
    button.addEventListener("click", () => {
      const target = document.getElementById(button.dataset.target);
      target.value = shared.value;
      target.focus();
      mark();
    });
  }
  box.addEventListener("input", mark);
  box.addEventListener("change", mark);
  form.addEventListener("change", (event) => {
    if (event.target.name === "accounts") render();
  });
  shared.addEventListener("input", mark);
  render();
  // composer.js (which counts) runs after this script: count again once every deferred script has run.
  document.addEventListener("DOMContentLoaded", mark);
})();
