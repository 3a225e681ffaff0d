/* The counter tablet's signature pad: the resident draws with a finger or pen; the drawing is
   posted as a PNG data URL in the hidden `drawn_signature` field. Without JavaScript the pad
   stays hidden and the scanned paper form is uploaded instead. */
(function () {
  "use strict";

  function init(pad) {
    var canvas = pad.querySelector("[data-signature-canvas]");
    var field = pad.querySelector("input[name='drawn_signature']");
    var clear = pad.querySelector("[data-signature-clear]");
    if (!canvas || !field || !canvas.getContext) {
      return;
    }
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    function frame() {
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.strokeStyle = "#0b0c0c";
      ctx.lineWidth = 2;
      ctx.strokeRect(1, 1, canvas.width - 2, canvas.height - 2);
      ctx.lineWidth = 3;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - rect.left) * (canvas.width / rect.width),
        y: (event.clientY - rect.top) * (canvas.height / rect.height),
      };
    }

    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      drawn = true;
      event.preventDefault();
    });
    function finish() {
      if (drawing && drawn) {
        field.value = canvas.toDataURL("image/png");
      }
      drawing = false;
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    if (clear) {
      clear.addEventListener("click", function () {
        frame();
        drawn = false;
        field.value = "";
      });
    }
    canvas.style.touchAction = "none";
    frame();
    pad.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var pads = document.querySelectorAll("[data-signature-pad]");
    for (var i = 0; i < pads.length; i += 1) {
      init(pads[i]);
    }
  });
})();
