// Composer previews: the form as it stands is posted (debounced) to the page's preview endpoint, which
// answers with the server's rendering per ticked account (posts.previews); the panel shows that HTML
// as it is, so the composer and the post page show the same rules. Nothing is computed here.
(function () {
  "use strict";

  const form = document.getElementById("composer");
  const section = document.getElementById("composer-preview");
  const panel = document.getElementById("preview-panel");
  if (!form || !section || !panel) return;
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const DELAY_MS = 300;
  let timer = null;
  let asked = 0; // only the answer to the latest question is shown

  function hasAccount() {
    return form.querySelector("input[name=accounts]:checked, select[name=social_account]") !== null;
  }

  function showMessage(text) {
    const note = document.createElement("p");
    note.className = "pv-empty";
    note.textContent = text;
    panel.replaceChildren(note);
  }

  async function refresh() {
    const number = ++asked;
    if (!hasAccount()) {
      showMessage("Tick an account and write something to see its preview.");
      panel.dataset.state = "ready";
      panel.dataset.count = "0";
      return;
    }
    const body = new FormData(form);
    body.delete("action");
    panel.dataset.state = "loading";
    panel.setAttribute("aria-busy", "true"); // redrawn on every key: not a live region, it would talk all the time
    let answer;
    try {
      const response = await fetch(section.dataset.url, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
      answer = response.ok ? await response.json() : { ok: false, error: "The preview could not be made." };
    } catch (error) {
      answer = { ok: false, error: "No preview: the server could not be reached." };
    }
    if (number !== asked) return;
    panel.removeAttribute("aria-busy");
    if (!answer.ok) {
      showMessage(answer.error);
      panel.dataset.state = "error";
      return;
    }
    // The server's own HTML (its templates escape every value): exactly what the post page shows.
    const template = document.createElement("template");
    template.innerHTML = answer.previews.map((preview) => preview.html).join("");
    panel.replaceChildren(template.content);
    panel.dataset.count = String(answer.previews.length);
    panel.dataset.state = "ready";
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  refresh();
})();
