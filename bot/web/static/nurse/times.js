// Show every <time datetime="...Z"> in the nurse's own time zone (the server renders UTC).
"use strict";
(function () {
  function localise(root) {
    var nodes = (root || document).querySelectorAll("time[datetime]");
    for (var i = 0; i < nodes.length; i++) {
      var moment = new Date(nodes[i].getAttribute("datetime"));
      if (!isNaN(moment.getTime())) {
        nodes[i].textContent = moment.toLocaleString(undefined, {
          year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"
        });
        nodes[i].title = nodes[i].getAttribute("datetime");
      }
    }
  }
  window.hsgLocaliseTimes = localise;
  document.addEventListener("DOMContentLoaded", function () { localise(document); });
})();
