// Composer: a live character counter per chosen account, counting exactly as buffer_integration/counting.py does
// (X: twitter-text weights with links at their short length; Bluesky: graphemes; others: code
// points). Patterns, weights and limits come from the server (#counter-rules), never from here.
(function () {
  "use strict";

  const rules = JSON.parse(document.getElementById("counter-rules").textContent);
  const form = document.getElementById("composer");
  const content = form.querySelector("[name=content]");
  const media = form.querySelector("[name=media_urls]");
  const counters = document.getElementById("counters");
  const alertBox = document.getElementById("counter-alert");
  const thumbs = document.getElementById("thumbs");
  const urlPattern = new RegExp(rules.url_pattern, "giu");
  const emojiPattern = new RegExp(rules.emoji_pattern, "u");
  const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  let lastStates = "";

  function graphemes(text) {
    return Array.from(segmenter.segment(text), (part) => part.segment);
  }

  function codePointWeight(char) {
    const point = char.codePointAt(0);
    return rules.twitter_light_ranges.some(([low, high]) => low <= point && point <= high) ? 1 : 2;
  }

  function twitterWeight(text, urlLength) {
    text = text.normalize("NFC");
    const urls = (text.match(urlPattern) || []).length;
    let total = urls * urlLength;
    for (const cluster of graphemes(text.replace(urlPattern, ""))) {
      if (emojiPattern.test(cluster)) total += rules.twitter_emoji_weight;
      else for (const char of cluster) total += codePointWeight(char);
    }
    return total;
  }

  function characterCount(text, urlLength) {
    if (!urlLength) return Array.from(text).length;
    const urls = (text.match(urlPattern) || []).length;
    return Array.from(text.replace(urlPattern, "")).length + urlLength * urls;
  }

  function weightedLength(text, account) {
    if (account.counting === "twitter") return twitterWeight(text, account.url_length || rules.twitter_url_length);
    if (account.counting === "graphemes") return graphemes(text).length;
    return characterCount(text, account.url_length);
  }
  // The end-to-end tests compare this with buffer_integration.counting.weighted_length on a corpus.
  window.socialhubWeightedLength = weightedLength;

  function chosenAccounts() {
    const ids = Array.from(form.querySelectorAll("input[name=accounts]:checked"), (box) => box.value);
    const select = form.querySelector("select[name=social_account]");
    if (select) ids.push(select.value);
    return ids.map((id) => rules.accounts[id]).filter(Boolean);
  }

  function renderCounters() {
    const text = content.value;
    const states = [];
    counters.replaceChildren();
    for (const account of chosenAccounts()) {
      const length = weightedLength(text, account);
      const limit = account.limit;
      const item = document.createElement("li");
      let state = "ok";
      if (limit !== null && length > limit) state = "over";
      else if (limit !== null && length >= limit * rules.warning_ratio) state = "warn";
      item.className = "counter " + state;
      item.dataset.platform = account.platform;
      item.dataset.length = String(length);
      const mark = document.createElement("span");
      mark.className = "net net-" + account.platform;
      mark.setAttribute("aria-hidden", "true");
      const words = document.createElement("span");
      words.className = "counter-state";
      const left = limit === null ? "" : limit - length;
      const tail = limit === null ? `${length}` : `${length} / ${limit}`;
      const note = state === "over" ? ` — ${-left} over` : state === "warn" ? ` — ${left} left` : "";
      words.textContent = `${account.name} (${account.network}): ${tail}${note}`;
      item.append(mark, words);
      counters.append(item);
      if (state !== "ok") states.push(`${account.network} ${state === "over" ? `${-left} over the limit` : `${left} left`}`);
    }
    // Screen readers hear about limits only when a warning starts or ends, not on every key.
    const summary = states.join("; ");
    if (summary.replace(/\d+/g, "") !== lastStates.replace(/\d+/g, "")) alertBox.textContent = summary;
    lastStates = summary;
  }

  function mediaKind(url) {
    let path;
    try {
      path = new URL(url).pathname.toLowerCase();
    } catch (error) {
      return null;
    }
    const last = path.split("/").pop();
    const extension = last.includes(".") ? last.split(".").pop() : "";
    if (rules.picture_filetypes.includes(extension)) return "image";
    if (rules.video_filetypes.includes(extension)) return "video";
    return null;
  }

  function renderThumbs() {
    thumbs.replaceChildren();
    for (const url of media.value.split("\n").map((line) => line.trim()).filter(Boolean)) {
      const item = document.createElement("li");
      const kind = mediaKind(url);
      let preview;
      if (kind === "image") {
        preview = document.createElement("img");
        preview.src = url;
        preview.alt = "Preview of " + url;
        preview.loading = "lazy";
        preview.addEventListener("error", () => preview.replaceWith(placeholder("Image not reachable")));
      } else {
        preview = placeholder(kind === "video" ? "▶ Video" : "Not an image or video");
      }
      const caption = document.createElement("div");
      caption.className = "caption";
      caption.textContent = url.split("/").pop() || url;
      caption.title = url;
      item.append(preview, caption);
      thumbs.append(item);
    }
  }

  function placeholder(text) {
    const box = document.createElement("div");
    box.className = text.startsWith("▶") ? "thumb-video" : "thumb-other";
    box.textContent = text;
    return box;
  }

  // Only the option fields the chosen accounts' networks take (the server ignores the others' values
  // and checks the rest as the API does); a field with an error stays visible.
  function renderOptions() {
    const networks = new Set(chosenAccounts().map((account) => account.platform));
    for (const box of form.querySelectorAll(".network-option")) {
      const wanted = box.dataset.networks.split(" ").some((network) => networks.has(network));
      box.hidden = !wanted && !box.querySelector(".has-error");
    }
  }

  content.addEventListener("input", renderCounters);
  form.addEventListener("change", (event) => {
    if (event.target.name === "accounts" || event.target.name === "social_account") {
      renderCounters();
      renderOptions();
    }
  });
  media.addEventListener("input", renderThumbs);
  renderCounters();
  renderThumbs();
  renderOptions();
})();
