/*
 * Small progressive enhancements; every page works without them.
 * - An error summary gets the focus when the page opens, so screen readers announce it
 *   and keyboard users start from the list of problems.
 */
(function () {
  "use strict";

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
