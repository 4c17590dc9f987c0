// Alerts for new emergency and urgent escalations while the inbox is open: a sound, a browser
// notification (if the nurse allowed them) and an assertive live-region message for screen readers.
// Browsers only allow sound and notifications after a click, hence the "Turn on alerts" button.
// Notifications carry no patient data: only how many and how urgent.
"use strict";
(function () {
  var RED_FLAGS = { emergency: "emergency", urgent: "urgent" };
  var audio = null, enabled = false;

  function beep() {
    if (!audio) return;
    var now = audio.currentTime;
    [0, 0.3].forEach(function (offset) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, now + offset);
      gain.gain.exponentialRampToValueAtTime(0.3, now + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.25);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(now + offset);
      osc.stop(now + offset + 0.26);
    });
  }

  function summary(items) {
    var counts = { emergency: 0, urgent: 0 }, parts = [];
    items.forEach(function (item) { counts[item.level] += 1; });
    if (counts.emergency) parts.push(counts.emergency + " new emergency");
    if (counts.urgent) parts.push(counts.urgent + " new urgent");
    return parts.join(" and ") + " escalation" + (items.length > 1 ? "s" : "");
  }

  function alertFor(items) {
    var red = items.filter(function (item) { return RED_FLAGS[item.level]; });
    if (!red.length) return;
    var text = summary(red);
    var status = document.getElementById("alert-status");
    if (status) status.textContent = text + ".";
    document.body.setAttribute("data-last-alert", text);
    if (!enabled) return;
    beep();
    if (window.Notification && Notification.permission === "granted") {
      try {
        new Notification("HSG nurse inbox", { body: text, tag: "hsg-escalations", renotify: true });
      } catch (error) { /* some browsers only allow notifications from a service worker */ }
    }
  }

  function enable(button) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !audio) audio = new Context();
    if (audio && audio.state === "suspended") audio.resume();
    enabled = true;
    button.textContent = "Alerts are on";
    button.setAttribute("aria-pressed", "true");
    if (window.Notification && Notification.permission === "default") Notification.requestPermission();
    try { window.sessionStorage.setItem("hsg-alerts", "on"); } catch (error) { /* private mode */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("enable-alerts");
    if (!button) return;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () { enable(button); });
    document.addEventListener("hsg:new-escalations", function (event) { alertFor(event.detail || []); });
  });
})();
