// The notice form's enhancements (admin/templates/notice.html). Without
// this script the form is plain HTML and still works (the server's
// autosave offer is a link). With it, nothing typed is lost: a copy of the
// form in the browser's storage, offered back when the page is opened again
// after a closed tab, a crash or a lost connection, and every few seconds
// while something changed the form goes to the server as this person's one
// autosaved copy of the notice (PUT /api/admin/notices/{id|new}/autosave;
// never a revision, never the notice itself).
(function () {
  "use strict";
  var form = document.querySelector("form.notice-form");
  if (!form) return;
  var noticeID = form.dataset.notice || "new";
  var key = "newsroom:notice:" + noticeID;
  var status = document.getElementById("autosave-status");

  function say(msg) { if (status) status.textContent = msg; }
  function hhmm(t) { var d = new Date(t); return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2); }
  function version() { return form.elements.version ? form.elements.version.value : ""; }

  function fields() {
    var out = {};
    new FormData(form).forEach(function (v, k) {
      if (typeof v !== "string") return;
      if (out[k] === undefined) out[k] = v;
      else out[k] = [].concat(out[k], v);
    });
    return out;
  }

  // --- the local copy --------------------------------------------------
  var initial = JSON.stringify(fields());
  var timer = null, sent = false;
  var lastSent = initial, serverAt = 0, sending = false, inFlight = null;
  function keep() {
    if (sent) return; // saved: the server has it
    var f = fields();
    if (JSON.stringify(f) === initial) { try { localStorage.removeItem(key); } catch (e) {} return; }
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), base: version(), fields: f }));
      if (JSON.stringify(f) === lastSent && serverAt) say("已自动保存到服务器（" + hhmm(serverAt) + "）");
      else say("已在本机暂存（" + hhmm(Date.now()) + "）");
    } catch (e) { say("本机暂存失败：浏览器存储已满"); }
  }
  function changed() {
    clearTimeout(timer);
    timer = setTimeout(keep, 800);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  window.addEventListener("pagehide", keep);
  form.addEventListener("submit", function () {
    // The browser's copy stays until the server says the save was made
    // (the story page it leads to clears it, static/saved.js): a refused
    // save, an expired login or a lost connection keep the text here.
    clearTimeout(timer);
    keep();
    sent = true;
    if (inFlight) inFlight.abort();
  });

  // --- the server's copy -----------------------------------------------
  function autosave(keepalive) {
    if (sent || sending) return;
    var f = fields(), json = JSON.stringify(f);
    if (json === lastSent) return;
    sending = !keepalive;
    inFlight = window.AbortController ? new AbortController() : null;
    fetch("/api/admin/notices/" + noticeID + "/autosave", { method: "PUT", credentials: "same-origin", keepalive: !!keepalive,
      signal: inFlight ? inFlight.signal : undefined,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ base: +version() || 0, fields: f }) })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) throw new Error(j.error || "服务器拒绝");
          lastSent = json;
          serverAt = Date.now();
          say("已自动保存到服务器（" + hhmm(serverAt) + "）");
        });
      })
      .catch(function (e) { say("自动保存到服务器失败：" + e.message + "（本机仍有暂存）"); })
      .then(function () { sending = false; });
  }
  setInterval(autosave, 4000);
  window.addEventListener("pagehide", function () { autosave(true); });

  // --- the offer -------------------------------------------------------
  function restore(saved) {
    var f = saved.fields;
    Object.keys(f).forEach(function (k) {
      if (k === "version") return;
      var el = form.elements[k];
      if (!el || el.length !== undefined && !el.tagName) return;
      el.value = [].concat(f[k]).join("\n");
    });
    form.elements.kind && form.elements.kind.dispatchEvent(new Event("change", { bubbles: true }));
    changed();
  }
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  if (saved && saved.fields && JSON.stringify(saved.fields) !== initial && !form.dataset.conflict) {
    var bar = document.createElement("div");
    bar.className = "restore-offer";
    bar.setAttribute("role", "alert");
    var older = saved.base && saved.base !== version();
    bar.innerHTML = "<p>本机保存有这则公告未提交的内容（" + hhmm(saved.at) + "）" +
      (older ? "，但此后公告已有新的修订，恢复前请核对" : "") + "。</p>";
    var yes = document.createElement("button");
    yes.type = "button"; yes.textContent = "恢复未提交的内容"; yes.className = "restore-yes";
    var no = document.createElement("button");
    no.type = "button"; no.textContent = "丢弃"; no.className = "restore-no";
    yes.addEventListener("click", function () { restore(saved); bar.remove(); say("已恢复本机暂存的内容，请检查后保存"); });
    no.addEventListener("click", function () { try { localStorage.removeItem(key); } catch (e) {} bar.remove(); });
    bar.appendChild(yes); bar.appendChild(no);
    form.parentNode.insertBefore(bar, form);
  }
})();
