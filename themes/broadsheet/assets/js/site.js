/* The reader site's only script, loaded from a file so that the pages' Content-Security-Policy
   can forbid inline scripts. Reading never needs it: it remembers the 大字 (large text) choice,
   and on a notice it turns the period's end date into 公示中/已截止 with the days left
   (Asia/Shanghai), as /verify/ does on the server. */
(function () {
  try {
    var c = document.getElementById('large-text');
    if (c) {
      if (localStorage.getItem('nr-large') === '1') { c.checked = true; }
      c.addEventListener('change', function () { localStorage.setItem('nr-large', c.checked ? '1' : '0'); });
    }
  } catch (e) {}
  var today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  document.querySelectorAll('.notice-status[data-end]').forEach(function (p) {
    var e = p.dataset.end, s = p.dataset.start, d = Math.round((Date.parse(e) - Date.parse(today)) / 864e5);
    p.textContent = today > e ? '已截止（截止日期 ' + e + '）'
      : (s && today < s ? '公示期自 ' + s + ' 起，截止 ' + e
      : (d ? '公示中，还剩 ' + d + ' 天（截止 ' + e + '）' : '公示中，今天（' + e + '）截止'));
  });
})();
