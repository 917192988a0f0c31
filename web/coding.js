/* coding.js: on the coding page, selecting text in the numbered paragraphs
 * fills the form's start and end (Unicode code points into the document,
 * as the server counts them). A file, not inline script (the CSP allows
 * only our own files). The page works without it: code a paragraph by its
 * number, or type the range. */
(function () {
  'use strict';
  function cps(s) { return Array.from(s).length; }
  function point(node, offset) {
    var el = node.nodeType === 1 ? node : node.parentNode;
    var li = el && el.closest ? el.closest('#paragraphs li[data-start]') : null;
    if (!li) return null;
    var span = li.querySelector('.ibbis-para-text');
    if (!span || !span.contains(node)) return null;
    var r = document.createRange();
    r.setStart(span, 0);
    r.setEnd(node, offset);
    return Number(li.getAttribute('data-start')) + cps(r.toString());
  }
  document.addEventListener('selectionchange', function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var r = sel.getRangeAt(0);
    var a = point(r.startContainer, r.startOffset);
    var b = point(r.endContainer, r.endOffset);
    if (a === null || b === null || b <= a) return;
    var start = document.getElementById('seg-start');
    var end = document.getElementById('seg-end');
    if (!start || !end) return;
    start.value = String(a);
    end.value = String(b);
    var p = document.getElementById('seg-paragraph');
    if (p) p.value = '';
  });
}());
