// The story page after a save (?saved=ID, or saved=new for a new story;
// saved=notice-ID or notice-new after the notice form): the save was made,
// so the browser's copy of the form (story-form.js, notice-form.js) is no
// longer needed.
(function () {
  "use strict";
  var m = /[?&]saved=(notice-)?(new|\d+)(&|$)/.exec(location.search);
  if (!m) return;
  try { localStorage.removeItem((m[1] ? "newsroom:notice:" : "newsroom:story:") + m[2]); } catch (e) {}
})();
