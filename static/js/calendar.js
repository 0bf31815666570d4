// Calendar: drag a post to another day (month, list) or hour slot (week) to reschedule it, or use the
// "Reschedule" dialog from the keyboard or a touch screen. Both POST to the post's reschedule URL, the
// same service as the API; the server decides what is allowed and the page shows its answer. A group
// chip stands for all its deliveries at that time: moving it moves each of them (a row's own "⋯" moves one
// alone, by a plain POST). Also: a group chip's deliveries open and close, and week and day views show
// the current time as a line, moved each minute.
(function () {
  "use strict";

  const statusBox = document.getElementById("cal-status");
  const dialog = document.getElementById("reschedule-dialog");
  const dialogForm = document.getElementById("reschedule-form");
  const dialogTime = document.getElementById("reschedule-time");
  const dialogError = document.getElementById("reschedule-error");
  const csrfToken = dialogForm.querySelector("input[name=csrfmiddlewaretoken]").value;
  let dragged = null;
  let dialogChip = null;
  let dialogDelivery = null;

  function announce(text, isError) {
    statusBox.textContent = text;
    statusBox.className = "cal-status message " + (isError ? "message-error" : "message-success");
    statusBox.setAttribute("role", isError ? "alert" : "status");
  }

  function cellFor(date, hour) {
    const selector = hour === null ? `[data-drop][data-date="${date}"]` : `[data-drop][data-date="${date}"][data-hour="${hour}"]`;
    return document.querySelector(selector);
  }

  function isWeek() {
    return document.querySelector(".week") !== null;
  }

  async function rescheduleOne(url, value) {
    const body = new FormData();
    body.append("scheduled_time", value);
    try {
      const response = await fetch(url, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
      return await response.json();
    } catch (error) {
      return { ok: false, message: "Not rescheduled: the server could not be reached." };
    }
  }

  function deliveryRows(chip) {
    return Array.from(chip.querySelectorAll(".deliveries [data-url]"));
  }

  // One request per delivery (a chip without a group has just its own), one after the other.
  async function reschedule(chip, value) {
    const rows = deliveryRows(chip);
    const targets = rows.length ? rows.map((row) => ({ row: row, url: row.dataset.url })) : [{ row: null, url: chip.dataset.url }];
    const answers = [];
    for (const target of targets) {
      const answer = await rescheduleOne(target.url, value);
      if (answer.ok && target.row) setLook(target.row, answer);
      answers.push(answer);
    }
    const failed = answers.filter((answer) => !answer.ok);
    const moved = answers.filter((answer) => answer.ok);
    if (!failed.length) {
      moveChip(chip, moved[0], moved);
      announce(moved.map((answer) => answer.message).join(" "), false);
      return moved[0];
    }
    chip.classList.remove("rejected");
    void chip.offsetWidth; // restart the animation when the same chip is refused twice
    chip.classList.add("rejected");
    const note = moved.length ? ` (${moved.length} of ${answers.length} moved: reload the page to see them apart)` : "";
    announce(failed.map((answer) => answer.message).join(" ") + note, true);
    return failed[0];
  }

  function setLook(element, answer) {
    const badge = element.querySelector(":scope > .badge.look, :scope .chip-line > .badge.look");
    element.className = element.className.replace(/\blook-\S+/g, "").trim() + " look-" + answer.look;
    if (!badge) return;
    badge.className = "badge look status-" + answer.look;
    badge.dataset.rank = answer.look_rank;
    badge.textContent = answer.look_label;
    badge.title = answer.look_hint;
  }

  function moveChip(chip, answer, answers) {
    const hour = isWeek() ? String(parseInt(answer.time.slice(0, 2), 10)) : null;
    const target = cellFor(answer.date, hour);
    const source = chip.closest("[data-drop]");
    chip.dataset.time = answer.time;
    chip.dataset.date = answer.date;
    chip.querySelector("time").textContent = answer.time;
    chip.querySelector("time").setAttribute("datetime", answer.scheduled_time);
    chip.classList.remove("rejected");
    // The chip wears the most urgent look of its deliveries (the lowest rank), as the server draws it.
    setLook(chip, answers.reduce((best, other) => (other.look_rank < best.look_rank ? other : best)));
    if (!target) {
      chip.remove(); // moved outside the days (or hours) on screen
    } else {
      let list = target.querySelector(".chips");
      if (!list) {
        list = document.createElement("ul");
        list.className = "chips";
        target.appendChild(list);
      }
      const later = Array.from(list.children).find((other) => other !== chip && other.dataset.time > answer.time);
      list.insertBefore(chip, later || null);
      target.classList.remove("is-empty");
      chip.classList.add("moved");
    }
    if (source && !source.querySelector(".chip")) source.classList.add("is-empty");
  }

  // --- Drag and drop --------------------------------------------------------------------------
  document.addEventListener("dragstart", (event) => {
    const chip = event.target.closest && event.target.closest(".chip");
    if (!chip) return;
    dragged = chip;
    chip.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", chip.dataset.postId);
  });
  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll(".drop-target").forEach((cell) => cell.classList.remove("drop-target"));
    dragged = null;
  });
  document.querySelectorAll("[data-drop]").forEach((cell) => {
    cell.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      cell.classList.add("drop-target");
    });
    cell.addEventListener("dragleave", (event) => {
      if (!cell.contains(event.relatedTarget)) cell.classList.remove("drop-target");
    });
    cell.addEventListener("drop", (event) => {
      event.preventDefault();
      cell.classList.remove("drop-target");
      const chip = dragged;
      if (!chip) return;
      // Month: same time of day on the new day. Week: the slot's hour, the same minutes.
      const [hh, mm] = chip.dataset.time.split(":");
      const hour = cell.dataset.hour !== undefined ? cell.dataset.hour.padStart(2, "0") : hh;
      const value = `${cell.dataset.date}T${hour}:${mm}`;
      if (value === `${chip.dataset.date}T${chip.dataset.time}`) return;
      reschedule(chip, value);
    });
  });

  // --- Keyboard alternative: the reschedule dialog ----------------------------------------------
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-reschedule]");
    if (!button) return;
    dialogChip = button.closest(".chip");
    // One delivery of a group: the form posts itself and the page comes back drawn anew, that
    // delivery on its own chip (the server's message says where it went).
    dialogDelivery = button.closest(".delivery");
    dialogForm.action = (dialogDelivery || dialogChip).dataset.url;
    dialogTime.value = `${dialogChip.dataset.date}T${dialogChip.dataset.time}`;
    dialogError.hidden = true;
    const ids = dialogDelivery ? [dialogDelivery.dataset.deliveryId] : dialogChip.dataset.postIds.split(" ");
    dialog.querySelector("h2").textContent =
      ids.length > 1 ? `Reschedule posts ${ids.map((id) => "#" + id).join(", ")}` : `Reschedule post #${ids[0]}`;
    dialog.showModal();
    dialogTime.focus();
  });
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());

  // --- A group chip's deliveries ------------------------------------------------------------------
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".chip-expand");
    if (!button) return;
    const list = document.getElementById(button.getAttribute("aria-controls"));
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    list.hidden = !open;
  });
  dialog.addEventListener("close", () => {
    if (dialogChip && dialogChip.isConnected) (dialogDelivery || dialogChip).querySelector("[data-reschedule]").focus();
    else document.getElementById("cal-title").focus();
  });
  dialogForm.addEventListener("submit", async (event) => {
    if (dialogDelivery) return; // a plain POST: the server redirects back here
    event.preventDefault();
    const answer = await reschedule(dialogChip, dialogTime.value);
    if (answer.ok) {
      dialog.close();
    } else {
      dialogError.textContent = answer.message;
      dialogError.hidden = false;
    }
  });

  // --- The current time in the week view ----------------------------------------------------------
  // In the user's timezone (the page's, not the browser's). Only the line's place depends on the clock.
  const week = document.querySelector(".week[data-tz]");
  function placeNowLine() {
    const parts = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: week.dataset.tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).forEach((part) => { parts[part.type] = part.value; });
    const slot = cellFor(`${parts.year}-${parts.month}-${parts.day}`, String(parseInt(parts.hour, 10)));
    let line = document.getElementById("now-line");
    if (!slot) {
      if (line) line.remove();
      return;
    }
    if (!line) {
      line = document.createElement("div");
      line.id = "now-line";
      line.className = "now-line";
      line.setAttribute("aria-hidden", "true");
    }
    if (line.parentElement !== slot) slot.appendChild(line);
    line.style.top = `${(parseInt(parts.minute, 10) / 60) * 100}%`;
    line.title = `Now: ${parts.hour}:${parts.minute}`;
  }
  if (week) {
    placeNowLine();
    setInterval(placeNowLine, 60 * 1000);
  }
})();
