/*
 * Read aloud (朗读): progressive enhancement with the Web Speech API.
 * The page works without it; the button only appears when the browser can speak.
 * Labels come from data attributes on the slot, so they are translated by the server.
 */
(function () {
  "use strict";

  function speechLang() {
    var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
    if (lang.indexOf("zh") === 0) {
      return "zh-CN";
    }
    return lang || "en";
  }

  function mainText() {
    var main = document.getElementById("main");
    if (!main) {
      return "";
    }
    var copy = main.cloneNode(true);
    var skip = copy.querySelectorAll("[data-read-aloud-skip], script, style, .visually-hidden");
    for (var i = 0; i < skip.length; i++) {
      skip[i].parentNode.removeChild(skip[i]);
    }
    return (copy.textContent || "").replace(/\s+/g, " ").trim();
  }

  function start() {
    var slot = document.querySelector("[data-read-aloud]");
    if (!slot || !("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
      return;
    }
    var synth = window.speechSynthesis;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.setAttribute("aria-pressed", "false");
    button.textContent = slot.getAttribute("data-label-start");

    function reset() {
      button.setAttribute("aria-pressed", "false");
      button.textContent = slot.getAttribute("data-label-start");
    }

    button.addEventListener("click", function () {
      if (synth.speaking) {
        synth.cancel();
        reset();
        return;
      }
      var utterance = new window.SpeechSynthesisUtterance(mainText());
      utterance.lang = speechLang();
      utterance.rate = document.documentElement.classList.contains("care-mode") ? 0.85 : 1;
      utterance.onend = reset;
      utterance.onerror = reset;
      button.setAttribute("aria-pressed", "true");
      button.textContent = slot.getAttribute("data-label-stop");
      synth.speak(utterance);
    });

    window.addEventListener("pagehide", function () {
      synth.cancel();
    });
    slot.appendChild(button);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
