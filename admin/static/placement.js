// 版面排序: dragging a placed story renumbers the number boxes in the new
// order, so the form (which works without this script) sends the same as
// typing the numbers would.
(function () {
  "use strict";
  var body = document.getElementById("placed");
  if (!body) return;
  var dragged = null;
  function renumber() {
    var rows = body.querySelectorAll("tr[data-id]");
    for (var i = 0; i < rows.length; i++) {
      rows[i].querySelector("input.pos").value = String(i + 1);
      var badge = rows[i].querySelector(".badge");
      if (badge) {
        badge.textContent = i === 0 ? "头条" : "推荐";
        badge.classList.toggle("lead", i === 0);
      }
    }
  }
  body.addEventListener("dragstart", function (e) {
    dragged = e.target.closest("tr[data-id]");
    if (!dragged) return;
    dragged.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", dragged.dataset.id);
  });
  body.addEventListener("dragover", function (e) {
    var over = e.target.closest("tr[data-id]");
    if (!dragged || !over || over === dragged) return;
    e.preventDefault();
    var r = over.getBoundingClientRect();
    if (e.clientY > r.top + r.height / 2) {
      over.after(dragged);
    } else {
      over.before(dragged);
    }
  });
  body.addEventListener("drop", function (e) {
    e.preventDefault();
  });
  body.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    renumber();
  });
})();
