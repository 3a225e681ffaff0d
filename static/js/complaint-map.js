/* Complaint position picker: progressive enhancement of the latitude/longitude fields.
   Without JavaScript the resident types the address (and may type coordinates). With it, a
   "use my position" button fills the fields; with a vendored Leaflet (window.L) and a tile
   server configured in data-tiles, a click on the map does too. No CDN: closed networks. */
(function () {
  "use strict";
  var box = document.getElementById("complaint-map");
  if (!box) return;
  var lat = document.getElementById(box.getAttribute("data-lat-input"));
  var lon = document.getElementById(box.getAttribute("data-lon-input"));
  if (!lat || !lon) return;

  function set(la, lo) {
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
  }

  if (navigator.geolocation) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.textContent = document.documentElement.lang.indexOf("en") === 0
      ? "Use my current position" : "使用我当前的位置";
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        set(pos.coords.latitude, pos.coords.longitude);
      });
    });
    box.parentNode.insertBefore(button, box);
  }

  var tiles = box.getAttribute("data-tiles");
  if (window.L && tiles) {
    box.hidden = false;
    box.style.height = "18rem";
    var start = [parseFloat(lat.value) || 39.9042, parseFloat(lon.value) || 116.4074];
    var map = window.L.map(box).setView(start, 15);
    window.L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    var marker = null;
    map.on("click", function (event) {
      set(event.latlng.lat, event.latlng.lng);
      if (marker) marker.setLatLng(event.latlng);
      else marker = window.L.marker(event.latlng).addTo(map);
    });
  }
})();
