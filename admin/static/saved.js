// The story page after a save (?saved=ID, or saved=new for a new story):
// the save was made, so the browser's copy of the form (story-form.js) is
// no longer needed.
(function () {
  "use strict";
  var m = /[?&]saved=(new|\d+)(&|$)/.exec(location.search);
  if (!m) return;
  try { localStorage.removeItem("newsroom:story:" + m[1]); } catch (e) {}
})();
