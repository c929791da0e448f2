// The story form's enhancements (admin/templates/edit.html). Without this
// script the form is plain HTML and still works: a textarea for the body,
// photo rows with their fields. With it: the rich editor, photo upload
// (several at once, drag and drop, the camera on a phone), and a copy of
// everything typed in the browser's storage, offered back when the page is
// opened again after a closed tab, a crash or a lost connection.
(function () {
  "use strict";
  var form = document.querySelector("form.story-form");
  if (!form) return;
  var storyID = form.dataset.story || "new";
  var key = "newsroom:story:" + storyID;
  var status = document.getElementById("autosave-status");

  function say(msg) { if (status) status.textContent = msg; }
  function hhmm(t) { var d = new Date(t); return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2); }

  // --- the rich editor -------------------------------------------------
  // Photos of the library are served by the admin until the story is
  // published (the reader site has them from then on).
  function shown(src) { return /^\/media\//.test(src || "") ? "/admin" + src : src; }
  var body = document.getElementById("body");
  var editor = null;
  if (window.NewsroomEditor && body) {
    editor = NewsroomEditor.attach(body, {
      pasteURL: "/api/admin/paste",
      mediaURL: shown,
      uploadPhoto: function (file) { return upload(file).then(function (m) { addRow(m); return m; }); },
      onChange: function () { changed(); },
      onSave: function () { keep(); if (form.requestSubmit) form.requestSubmit(); else form.submit(); },
    });
    var hint = document.querySelector('label[for="body"] .plain-hint');
    if (hint) hint.hidden = true;
  }

  // --- the local copy --------------------------------------------------
  function fields() {
    var out = {};
    new FormData(form).forEach(function (v, k) {
      if (typeof v !== "string") return;
      if (out[k] === undefined) out[k] = v;
      else out[k] = [].concat(out[k], v);
    });
    return out;
  }
  var initial = JSON.stringify(fields());
  var timer = null, sent = false;
  function keep() {
    if (sent) return; // saved: the server has it
    var f = fields();
    if (JSON.stringify(f) === initial) { localStorage.removeItem(key); return; }
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), base: form.elements.version ? form.elements.version.value : "", fields: f }));
      // The server's copy, when it is as new, is the better news.
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
  form.addEventListener("submit", function (e) {
    // The preview button sends the form elsewhere: the copy stays.
    if (e.submitter && e.submitter.getAttribute("formaction")) return;
    // The browser's copy stays until the server says the save was made
    // (the story page it leads to clears it, static/saved.js): a refused
    // save, an expired login or a lost connection keep the text here.
    clearTimeout(timer);
    keep();
    sent = true;
    if (inFlight) inFlight.abort(); // the save makes the server's copy moot
  });

  // --- the server's copy -----------------------------------------------
  // Every few seconds while something changed, the form goes to the
  // server as this person's one autosaved copy of the story (overwritten
  // each time; never a revision, never the story itself). Reopening the
  // form offers it back (the page does that, without script).
  var lastSent = initial, serverAt = 0, sending = false, inFlight = null;
  function autosaveBody() {
    var f = fields();
    return { json: JSON.stringify(f), body: JSON.stringify({ base: +(form.elements.version ? form.elements.version.value : 0) || 0, fields: f }) };
  }
  function autosave(keepalive) {
    if (sent || sending) return;
    var p = autosaveBody();
    if (p.json === lastSent) return;
    sending = !keepalive;
    inFlight = window.AbortController ? new AbortController() : null;
    fetch("/api/admin/stories/" + storyID + "/autosave", { method: "PUT", credentials: "same-origin", keepalive: !!keepalive,
      signal: inFlight ? inFlight.signal : undefined,
      headers: { "Content-Type": "application/json", Accept: "application/json" }, body: p.body })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) throw new Error(j.error || "服务器拒绝");
          lastSent = p.json;
          serverAt = Date.now();
          say("已自动保存到服务器（" + hhmm(serverAt) + "）");
        });
      })
      .catch(function (e) { say("自动保存到服务器失败：" + e.message + "（本机仍有暂存）"); })
      .then(function () { sending = false; });
  }
  setInterval(autosave, 4000);
  window.addEventListener("pagehide", function () { autosave(true); });

  function restore(saved) {
    var f = saved.fields;
    Object.keys(f).forEach(function (k) {
      if (k === "version" || k.indexOf("photo_") === 0) return;
      var el = form.elements[k];
      if (!el || el.length !== undefined && !el.tagName) return;
      if (el.type === "checkbox") el.checked = f[k] === "on";
      else el.value = f[k];
    });
    if (editor) editor.setMarkdown(f.body || "");
    var rows = document.getElementById("photo-rows");
    if (rows && f.photo_src !== undefined) {
      rows.innerHTML = "";
      var n = [].concat(f.photo_src).length;
      for (var i = 0; i < n; i++) {
        addRow({ id: +[].concat(f.photo_media)[i] || 0, url: [].concat(f.photo_src)[i], caption: [].concat(f.photo_caption)[i],
          credit: [].concat(f.photo_credit)[i], alt: [].concat(f.photo_alt)[i] });
      }
    }
    changed();
  }

  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  if (saved && saved.fields && JSON.stringify(saved.fields) !== initial && !form.dataset.conflict) {
    var bar = document.createElement("div");
    bar.className = "restore-offer";
    bar.setAttribute("role", "alert");
    var older = saved.base && form.elements.version && saved.base !== form.elements.version.value;
    bar.innerHTML = "<p>本机保存有这篇稿件未提交的内容（" + hhmm(saved.at) + "）" +
      (older ? "，但此后稿件已有新的修订，恢复前请核对" : "") + "。</p>";
    var yes = document.createElement("button");
    yes.type = "button"; yes.textContent = "恢复未提交的内容"; yes.className = "restore-yes";
    var no = document.createElement("button");
    no.type = "button"; no.textContent = "丢弃"; no.className = "restore-no";
    yes.addEventListener("click", function () { restore(saved); bar.remove(); say("已恢复本机暂存的内容，请检查后保存"); });
    no.addEventListener("click", function () { localStorage.removeItem(key); bar.remove(); });
    bar.appendChild(yes); bar.appendChild(no);
    form.parentNode.insertBefore(bar, form);
  }

  // --- photos ----------------------------------------------------------
  var rows = document.getElementById("photo-rows");
  var files = document.getElementById("photo-files");
  var drop = document.getElementById("photo-drop");
  var note = document.getElementById("photo-note");

  function upload(file) {
    var fd = new FormData();
    fd.append("file", file);
    var credit = document.getElementById("photo-default-credit");
    fd.append("credit", credit ? credit.value : "");
    if (storyID !== "new") fd.append("story", storyID);
    return fetch("/api/admin/media", { method: "POST", body: fd, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (j) {
          if (!r.ok) throw new Error(file.name + "：" + (j.error || "上传失败"));
          return j;
        });
      });
  }

  function input(name, value, label, cls) {
    var wrap = document.createElement("label");
    wrap.className = cls || "";
    wrap.textContent = label;
    var el = document.createElement("input");
    el.name = name; el.value = value || "";
    wrap.appendChild(el);
    return wrap;
  }

  function addRow(m) {
    if (!rows) return;
    var row = document.createElement("div");
    row.className = "photo-row";
    var media = document.createElement("input");
    media.type = "hidden"; media.name = "photo_media"; media.value = m.id || "";
    var src = document.createElement("input");
    src.type = "hidden"; src.name = "photo_src"; src.value = m.url || "";
    var img = document.createElement("img");
    img.src = shown(m.url); img.alt = ""; img.className = "photo-thumb";
    row.appendChild(media); row.appendChild(src); row.appendChild(img);
    var f = document.createElement("div");
    f.className = "photo-fields";
    f.appendChild(input("photo_caption", m.caption, "图片说明"));
    f.appendChild(input("photo_credit", m.credit, "摄影（如“记者 刘亮亮 摄”）"));
    f.appendChild(input("photo_alt", m.alt, "替代文字"));
    row.appendChild(f);
    var del = document.createElement("button");
    del.type = "button"; del.textContent = "移除"; del.className = "photo-remove";
    del.addEventListener("click", function () { row.remove(); changed(); });
    row.appendChild(del);
    rows.appendChild(row);
    changed();
  }

  function addFiles(list) {
    var all = Array.prototype.slice.call(list);
    var i = 0;
    function next() {
      if (i >= all.length) { if (note) note.textContent = all.length ? "已上传 " + all.length + " 张，请填写图片说明和摄影署名。第一张为主图。" : ""; return; }
      var file = all[i++];
      if (note) note.textContent = "正在上传第 " + i + "/" + all.length + " 张：" + file.name;
      upload(file).then(addRow, function (e) { alert(e.message); }).then(next);
    }
    next();
  }

  if (files) files.addEventListener("change", function () { addFiles(files.files); files.value = ""; });
  if (drop) {
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("is-over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove("is-over"); });
    });
    drop.addEventListener("drop", function (e) { e.preventDefault(); if (e.dataTransfer) addFiles(e.dataTransfer.files); });
  }
  // The media library: find photos by caption or credit and reuse them.
  var q = document.getElementById("media-q");
  var results = document.getElementById("media-results");
  var qTimer = null;
  function find() {
    fetch("/api/admin/media?limit=24&q=" + encodeURIComponent(q.value.trim()), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        results.innerHTML = "";
        (j.media || []).forEach(function (m) {
          var b = document.createElement("button");
          b.type = "button"; b.className = "media-pick";
          var img = document.createElement("img");
          img.src = shown(m.url); img.alt = "";
          var cap = document.createElement("span");
          cap.textContent = (m.caption || "（无说明）") + (m.credit ? "　" + m.credit : "");
          b.appendChild(img); b.appendChild(cap);
          b.addEventListener("click", function () { addRow(m); });
          results.appendChild(b);
        });
        if (!results.children.length) results.textContent = "没有找到照片。";
      });
  }
  if (q && results) {
    q.addEventListener("input", function () { clearTimeout(qTimer); qTimer = setTimeout(find, 300); });
    var lib = document.getElementById("media-library");
    if (lib) lib.addEventListener("toggle", function () { if (lib.open && !results.children.length) find(); });
  }

  // Presence: while the form is open, say so every 30 seconds and show who
  // else has it open (the server forgets a person two minutes after the
  // last word).
  var presence = document.getElementById("presence");
  function ping() {
    if (storyID === "new" || document.hidden) return;
    fetch("/api/admin/stories/" + storyID + "/presence", { method: "POST", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j || !presence) return;
        var others = j.others || [];
        presence.hidden = !others.length;
        presence.textContent = others.length ? "正在编辑这篇稿件的还有：" + others.join("、") + "。保存时如有冲突，系统会列出双方的文字。" : "";
      }, function () {});
  }
  if (storyID !== "new") {
    setInterval(ping, 30000);
    document.addEventListener("visibilitychange", ping);
    // Leaving the page (saved, cancelled, tab closed) ends one's presence
    // at once rather than two minutes later.
    window.addEventListener("pagehide", function () {
      try { fetch("/api/admin/stories/" + storyID + "/presence", { method: "DELETE", keepalive: true, credentials: "same-origin" }); } catch (e) {}
    });
  }

  document.querySelectorAll(".photo-remove").forEach(function (b) {
    b.addEventListener("click", function () { b.closest(".photo-row").remove(); changed(); });
  });
})();
