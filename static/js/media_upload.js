// Media uploads from the pages (composer and library): drag and drop, paste, a file input; XHR with progress.
// Files up to data-single-max go in one POST /api/v1/media; larger ones through the chunked upload
// (POST /api/v1/media/uploads, PUT chunks with Content-Range, POST .../complete), one chunk at a time.
// In the composer, the chosen library items' ids go in the form's hidden `media_ids`, in order.
(function () {
  "use strict";

  const root = document.getElementById("media-picker");
  if (!root) return;
  const form = root.closest("form");
  const hidden = form ? form.querySelector("[name=media_ids]") : null;
  const chosen = document.getElementById("media-chosen");
  const progress = document.getElementById("media-progress");
  const drop = document.getElementById("media-drop");
  const input = document.getElementById("media-file");
  const singleMax = Number(root.dataset.singleMax);
  const chunkBytes = Number(root.dataset.chunkBytes);
  const known = new Map();

  document.querySelectorAll(".media-pick").forEach((button) => {
    known.set(button.dataset.mediaId, { name: button.dataset.name, thumb: button.dataset.thumb });
    button.addEventListener("click", () => choose(button.dataset.mediaId));
  });

  function csrfToken() {
    const field = document.querySelector("[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return cookie ? cookie.split("=")[1] : "";
  }

  function ids() {
    return hidden && hidden.value ? hidden.value.split(",").filter(Boolean) : [];
  }

  function setIds(list) {
    if (hidden) {
      hidden.value = list.join(",");
      // A script's change fires no event: say it, so the live previews (composer_preview.js) follow.
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
    render();
  }

  function choose(id) {
    const list = ids();
    if (!list.includes(String(id))) list.push(String(id));
    setIds(list);
  }

  function render() {
    if (!chosen) return;
    chosen.replaceChildren();
    for (const id of ids()) {
      const item = known.get(id) || { name: `Item ${id}`, thumb: "" };
      const li = document.createElement("li");
      li.className = "media-chosen-item";
      li.dataset.mediaId = id;
      if (item.thumb) {
        const img = document.createElement("img");
        img.src = item.thumb;
        img.alt = item.name;
        li.append(img);
      } else {
        li.append(document.createTextNode(`▶ ${item.name}`));
      }
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${item.name}`);
      remove.addEventListener("click", () => setIds(ids().filter((other) => other !== id)));
      li.append(remove);
      chosen.append(li);
    }
  }

  function targets() {
    if (!form) return [];
    const boxes = Array.from(form.querySelectorAll("input[name=accounts]:checked"), (box) => box.value);
    const select = form.querySelector("select[name=social_account]");
    if (select && select.value) boxes.push(select.value);
    return boxes;
  }

  function request(method, url, body, headers, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("X-Workspace", root.dataset.workspace);
      for (const [name, value] of Object.entries(headers || {})) xhr.setRequestHeader(name, value);
      if (onProgress) xhr.upload.addEventListener("progress", (event) => onProgress(event.loaded));
      xhr.addEventListener("load", () => {
        let answer = {};
        try { answer = JSON.parse(xhr.responseText || "{}"); } catch (error) { answer = {}; }
        if (xhr.status >= 200 && xhr.status < 300) resolve(answer);
        else reject(new Error(answer.detail || `Upload failed (${xhr.status}).`));
      });
      xhr.addEventListener("error", () => reject(new Error("The upload was interrupted.")));
      xhr.send(body);
    });
  }

  async function uploadWhole(file, report) {
    const body = new FormData();
    body.append("file", file);
    for (const id of targets()) body.append("social_account_ids", id);
    return request("POST", "/api/v1/media", body, {}, report);
  }

  async function uploadInChunks(file, report) {
    const start = JSON.stringify({
      filename: file.name, size: file.size, content_type: file.type || "application/octet-stream",
      social_account_ids: targets().map(Number),
    });
    const upload = await request("POST", "/api/v1/media/uploads", start, { "Content-Type": "application/json" });
    const size = Math.min(chunkBytes, upload.chunk_bytes || chunkBytes);
    for (let offset = 0; offset < file.size; offset += size) {
      const end = Math.min(offset + size, file.size) - 1;
      const range = `bytes ${offset}-${end}/${file.size}`;
      await request("PUT", `/api/v1/media/uploads/${upload.id}`, file.slice(offset, end + 1),
        { "Content-Type": "application/octet-stream", "Content-Range": range }, (sent) => report(offset + sent));
    }
    return request("POST", `/api/v1/media/uploads/${upload.id}/complete`, "{}", { "Content-Type": "application/json" });
  }

  async function upload(file) {
    const li = document.createElement("li");
    const bar = document.createElement("progress");
    bar.max = file.size || 1;
    bar.value = 0;
    const text = document.createElement("span");
    text.textContent = `${file.name}: uploading…`;
    li.append(text, bar);
    progress.append(li);
    const report = (loaded) => { bar.value = Math.min(loaded, file.size); };
    try {
      const item = await (file.size > singleMax ? uploadInChunks(file, report) : uploadWhole(file, report));
      bar.value = bar.max;
      text.textContent = `${file.name}: uploaded.`;
      known.set(String(item.id), { name: item.name, thumb: item.thumbnail_url || "" });
      if (hidden) choose(item.id);
      return true;
    } catch (error) {
      li.classList.add("message-error");
      text.textContent = `${file.name}: ${error.message}`;
      bar.remove();
      return false;
    }
  }

  async function uploadAll(files) {
    const done = await Promise.all(Array.from(files || []).map((file) => upload(file)));
    // The library page shows the new items once every upload has finished (a refusal stays on screen).
    if (!hidden && done.length && done.every(Boolean)) window.location.reload();
  }

  input.addEventListener("change", () => { uploadAll(input.files); input.value = ""; });
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("dragging"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("dragging");
    uploadAll(event.dataTransfer.files);
  });
  (form || document).addEventListener("paste", (event) => {
    const files = event.clipboardData ? event.clipboardData.files : null;
    if (files && files.length) {
      event.preventDefault();
      uploadAll(files);
    }
  });
  render();
})();
