// Composer: the "Repeat" option's preview. The next occurrences come from the server
// (web.posts.series.recurrence_preview_view, the same service the posts are made with), in the
// account's timezone and with any DST note; nothing about rules is decided here.
(function () {
  "use strict";

  const box = document.getElementById("repeat");
  if (!box) return;
  const form = box.closest("form");
  const repeat = form.querySelector("[name=repeat]");
  const custom = form.querySelector("[name=recurrence]");
  const start = form.querySelector("[name=scheduled_time]");
  const preview = document.getElementById("repeat-preview");
  const list = document.getElementById("repeat-occurrences");
  const zone = document.getElementById("repeat-timezone");
  const problem = document.getElementById("repeat-error");
  let timer = null;

  function account() {
    const ticked = form.querySelector("[name=accounts]:checked") || form.querySelector("[name=social_account]");
    return ticked ? ticked.value : "";
  }

  function rule() {
    if (repeat.value === "custom") return custom.value.trim();
    return repeat.value;
  }

  function show(data) {
    list.replaceChildren();
    problem.hidden = data.ok;
    problem.textContent = data.ok ? "" : data.error;
    zone.textContent = data.ok ? "(" + data.timezone + ")" : "";
    for (const occurrence of data.occurrences) {
      const item = document.createElement("li");
      item.textContent = occurrence.local + (occurrence.note ? " — " + occurrence.note : "");
      list.append(item);
    }
    preview.hidden = false;
  }

  function refresh() {
    custom.closest(".field").hidden = repeat.value !== "custom";
    const wanted = rule();
    if (!wanted) {
      preview.hidden = true;
      return;
    }
    const query = new URLSearchParams({ rule: wanted, start: start.value, account: account() });
    fetch(box.dataset.previewUrl + "?" + query.toString(), { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then(show)
      .catch(() => {
        preview.hidden = true;
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  for (const field of [repeat, custom, start]) field.addEventListener("input", later);
  form.addEventListener("change", later);
  refresh();
})();
