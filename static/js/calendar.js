// Calendar: drag a post to another day (month) or hour slot (week) to reschedule it, or use the
// "Reschedule" dialog from the keyboard. Both POST to the post's reschedule URL, the same
// service as the API; the server decides what is allowed and the page shows its answer.
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

  async function reschedule(chip, value) {
    const body = new FormData();
    body.append("scheduled_time", value);
    let answer;
    try {
      const response = await fetch(chip.dataset.url, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
      answer = await response.json();
    } catch (error) {
      answer = { ok: false, message: "Not rescheduled: the server could not be reached." };
    }
    if (answer.ok) {
      moveChip(chip, answer);
      announce(answer.message, false);
    } else {
      chip.classList.remove("rejected");
      void chip.offsetWidth; // restart the animation when the same chip is refused twice
      chip.classList.add("rejected");
      announce(answer.message, true);
    }
    return answer;
  }

  function moveChip(chip, answer) {
    const hour = isWeek() ? String(parseInt(answer.time.slice(0, 2), 10)) : null;
    const target = cellFor(answer.date, hour);
    const source = chip.closest("[data-drop]");
    chip.dataset.time = answer.time;
    chip.dataset.date = answer.date;
    chip.querySelector("time").textContent = answer.time;
    chip.querySelector("time").setAttribute("datetime", answer.scheduled_time);
    chip.classList.remove("rejected", "st-draft", "st-failed", "st-cancelled", "st-pending_approval");
    chip.classList.add("st-" + answer.status);
    if (!target) {
      chip.remove(); // moved outside the days on screen
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
    updateBadge(chip, answer.status, answer.status_label);
  }

  function updateBadge(chip, status, label) {
    const badge = chip.querySelector(".badge:not(.source)");
    if (!badge || badge.classList.contains("status-" + status)) return;
    badge.className = "badge status-" + status;
    badge.textContent = label || status.charAt(0).toUpperCase() + status.slice(1);
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
    dialogForm.action = dialogChip.dataset.url;
    dialogTime.value = `${dialogChip.dataset.date}T${dialogChip.dataset.time}`;
    dialogError.hidden = true;
    dialog.querySelector("h2").textContent = `Reschedule post #${dialogChip.dataset.postId}`;
    dialog.showModal();
    dialogTime.focus();
  });
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (dialogChip && dialogChip.isConnected) dialogChip.querySelector("[data-reschedule]").focus();
    else document.getElementById("cal-title").focus();
  });
  dialogForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await reschedule(dialogChip, dialogTime.value);
    if (answer.ok) {
      dialog.close();
    } else {
      dialogError.textContent = answer.message;
      dialogError.hidden = false;
    }
  });
})();
