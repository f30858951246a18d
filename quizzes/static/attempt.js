/* Attempt page enhancements: autosave answers as the learner goes, and a countdown when the
   attempt is timed. Everything works without this file: « Enregistrer » saves and
   « Terminer et envoyer » submits; the server enforces the time limit. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var statusBox = document.getElementById("autosave-status");
  var url = form.getAttribute("data-autosave-url");
  var timer = null;
  var pending = false;
  var running = false;

  function say(text) { if (statusBox) { statusBox.textContent = text; } }

  function payload() {
    var data = new FormData(form);
    data.delete("action");
    return data;
  }

  function csrfToken() {
    var field = form.querySelector("input[name='csrf_token']");
    return field ? field.value : "";
  }

  function save() {
    if (running) { pending = true; return Promise.resolve(); }
    running = true;
    say(form.getAttribute("data-msg-saving"));
    return fetch(url, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok && body.saved) {
          var lang = document.documentElement.lang || undefined;
          var when = body.saved_at_text || new Date().toLocaleTimeString(lang);
          say(form.getAttribute("data-msg-saved") + " " + when);
        } else if (body.redirect) {
          say(body.error || "");
          window.location.assign(body.redirect);
        } else {
          say(form.getAttribute("data-msg-failed"));
        }
      });
    }).catch(function () {
      say(form.getAttribute("data-msg-failed"));
    }).then(function () {
      running = false;
      if (pending) { pending = false; save(); }
    });
  }

  function later(delay) {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () { timer = null; save(); }, delay);
  }

  form.addEventListener("change", function () { later(150); });
  form.addEventListener("input", function (event) {
    var tag = event.target && event.target.tagName;
    if (tag === "TEXTAREA" || (tag === "INPUT" && /^(text|number|search)$/.test(event.target.type))) {
      later(1500);
    }
  });

  var countdown = document.getElementById("countdown");
  if (!countdown) { return; }
  var remaining = parseInt(countdown.getAttribute("data-remaining"), 10);
  if (isNaN(remaining)) { return; }
  var endsAt = Date.now() + remaining * 1000;
  var value = countdown.querySelector(".countdown-value");
  countdown.classList.add("is-live");

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function finish() {
    value.textContent = countdown.getAttribute("data-ended");
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "timeout";
    form.appendChild(action);
    form.submit();
  }

  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    if (left <= 0) { finish(); return; }
    var minutes = Math.floor(left / 60);
    value.textContent = countdown.getAttribute("data-label") + " " + minutes + ":" + pad(left % 60);
    window.setTimeout(tick, 1000);
  }
  tick();
}());
