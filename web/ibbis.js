/* ibbis.js: marks the page as having JavaScript (so the CSS may hand the
 * menu to DKFDS's mobile drawer) and starts DKFDS's components once the page
 * is read. A file, not inline script: the Content-Security-Policy allows
 * only our own files. Every page works without it. */
document.documentElement.classList.add('ibbis-js');
document.addEventListener('DOMContentLoaded', function () {
  if (window.DKFDS && typeof window.DKFDS.init === 'function') window.DKFDS.init();
});
