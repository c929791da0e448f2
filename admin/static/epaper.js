// E-paper page editor: the stories' areas are boxes over the page image
// that an editor drags and resizes; every change is written into the
// numeric fields of the areas form, which is what is saved (and what is
// used without JavaScript). Loaded as a file: the admin's CSP allows no
// inline script.
(function () {
  'use strict';
  var sheet = document.getElementById('ep-sheet');
  var form = document.getElementById('ep-areas');
  if (!sheet || !form) return;

  function field(id, k) { return form.querySelector('input[name="' + k + '_' + id + '"]'); }
  function round(v) { return Math.round(v * 100) / 100; }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  function place(box, a) {
    box.style.left = a.x + '%'; box.style.top = a.y + '%';
    box.style.width = a.w + '%'; box.style.height = a.h + '%';
  }
  function areaOf(box) {
    return { x: parseFloat(box.style.left), y: parseFloat(box.style.top),
             w: parseFloat(box.style.width), h: parseFloat(box.style.height) };
  }
  function write(box) {
    var a = areaOf(box), id = box.dataset.story;
    ['x', 'y', 'w', 'h'].forEach(function (k) { var f = field(id, k); if (f) f.value = round(a[k]); });
  }

  function attach(box) {
    box.addEventListener('pointerdown', function (e) {
      e.preventDefault();
      var rect = sheet.getBoundingClientRect();
      var start = areaOf(box), x0 = e.clientX, y0 = e.clientY;
      var resize = e.target.classList.contains('ep-grip');
      box.classList.add('active');
      box.setPointerCapture(e.pointerId);
      function move(ev) {
        var dx = (ev.clientX - x0) / rect.width * 100, dy = (ev.clientY - y0) / rect.height * 100;
        var a = { x: start.x, y: start.y, w: start.w, h: start.h };
        if (resize) {
          a.w = clamp(start.w + dx, 1, 100 - start.x);
          a.h = clamp(start.h + dy, 1, 100 - start.y);
        } else {
          a.x = clamp(start.x + dx, 0, 100 - start.w);
          a.y = clamp(start.y + dy, 0, 100 - start.h);
        }
        place(box, a);
        write(box);
      }
      function up() {
        box.classList.remove('active');
        box.removeEventListener('pointermove', move);
        box.removeEventListener('pointerup', up);
        box.removeEventListener('pointercancel', up);
      }
      box.addEventListener('pointermove', move);
      box.addEventListener('pointerup', up);
      box.addEventListener('pointercancel', up);
    });
  }

  function boxFor(id) { return sheet.querySelector('.ep-box[data-story="' + id + '"]'); }

  function newBox(id, title, a) {
    var box = document.createElement('div');
    box.className = 'ep-box';
    box.dataset.story = id;
    var label = document.createElement('span');
    label.textContent = title;
    var grip = document.createElement('i');
    grip.className = 'ep-grip';
    grip.setAttribute('aria-hidden', 'true');
    box.appendChild(label);
    box.appendChild(grip);
    place(box, a);
    sheet.appendChild(box);
    attach(box);
    return box;
  }

  Array.prototype.forEach.call(sheet.querySelectorAll('.ep-box'), attach);

  // Typed numbers move the box too.
  form.addEventListener('input', function (e) {
    var m = /^([xywh])_(\d+)$/.exec(e.target.name || '');
    if (!m) return;
    var id = m[2], a = {};
    var ok = ['x', 'y', 'w', 'h'].every(function (k) { var f = field(id, k); a[k] = f ? parseFloat(f.value) : NaN; return !isNaN(a[k]); });
    var box = boxFor(id);
    if (ok && box) place(box, a);
  });

  Array.prototype.forEach.call(document.querySelectorAll('.ep-add'), function (b) {
    b.addEventListener('click', function () {
      var id = b.dataset.story;
      if (boxFor(id)) return;
      var row = form.querySelector('tr[data-story="' + id + '"] a');
      var box = newBox(id, row ? row.textContent : id, { x: 5, y: 5, w: 40, h: 15 });
      write(box);
      b.remove();
    });
  });
})();
