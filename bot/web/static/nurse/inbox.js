// Live inbox: poll the JSON twin of this page and redraw the rows and counts without a reload.
// Patient text goes in with textContent only, never as HTML.
"use strict";
(function () {
  var POLL_MS = 4000;
  var LEVELS = { emergency: "Emergency", urgent: "Urgent", inform_team: "Inform team" };
  var STATUSES = { "new": "New", in_review: "In review", resolved: "Resolved" };
  var CHANNELS = { rest: "Web chat", socketio: "Web chat (socket)", twilio_sms: "SMS", twilio_whatsapp: "WhatsApp" };
  var table, rows, known = {}, baseTitle = document.title;

  function cell(tr, text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text == null ? "" : String(text);
    tr.appendChild(td);
    return td;
  }

  function reasons(list) {
    return (list || []).map(function (r) { return String(r).replace(/_/g, " "); }).join(", ");
  }

  function row(item, isNew) {
    var tr = document.createElement("tr");
    tr.className = "level-" + item.level + " status-" + item.status + (isNew ? " fresh" : "");
    tr.setAttribute("data-id", String(item.id));
    var badge = document.createElement("span");
    badge.className = "badge level-" + item.level;
    badge.textContent = LEVELS[item.level] || item.level;
    cell(tr, "").appendChild(badge);
    cell(tr, reasons(item.reasons));
    cell(tr, item.patient_text, "words");
    var time = document.createElement("time");
    time.setAttribute("datetime", item.created_at || "");
    time.textContent = item.when || "";
    cell(tr, "").appendChild(time);
    cell(tr, item.language);
    cell(tr, CHANNELS[item.channel] || item.channel);
    cell(tr, item.hsg_date || "");
    cell(tr, (STATUSES[item.status] || item.status) + (item.assigned_to ? " (" + item.assigned_to + ")" : ""));
    var link = document.createElement("a");
    link.href = "/nurse/escalations/" + encodeURIComponent(item.id);
    link.textContent = item.conversation_display;
    cell(tr, "").appendChild(link);
    return tr;
  }

  function draw(data) {
    var fresh = 0, freshItems = [], fragment = document.createDocumentFragment();
    data.items.forEach(function (item) {
      var isNew = !known[item.id];
      if (isNew) { fresh++; freshItems.push(item); }
      fragment.appendChild(row(item, isNew));
    });
    if (!data.items.length) {
      var empty = document.createElement("tr");
      empty.className = "empty";
      var td = cell(empty, "Nothing here.");
      td.colSpan = 9;
      fragment.appendChild(empty);
    }
    rows.replaceChildren(fragment);
    known = {};
    data.items.forEach(function (item) { known[item.id] = true; });
    Object.keys(data.counts).forEach(function (level) {
      var node = document.getElementById("count-" + level);
      if (node) node.textContent = String(data.counts[level]);
    });
    document.getElementById("total").textContent = String(data.total);
    if (window.hsgLocaliseTimes) window.hsgLocaliseTimes(rows);
    if (fresh) {
      document.getElementById("live-status").textContent = fresh + " new escalation(s)";
      document.title = "(" + fresh + ") " + baseTitle;
      // alerts.js turns red flags among them into a sound and a notification
      document.dispatchEvent(new CustomEvent("hsg:new-escalations", { detail: freshItems }));
    }
  }

  function poll() {
    var url = table.getAttribute("data-poll-url") + "?" + (table.getAttribute("data-query") || "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) { window.location.assign("/nurse/login"); throw new Error("signed out"); }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { draw(data); table.classList.remove("stale"); })
      .catch(function () { table.classList.add("stale"); })
      .then(function () { window.setTimeout(poll, POLL_MS); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    table = document.getElementById("inbox");
    rows = document.getElementById("rows");
    if (!table || !rows) return;
    Array.prototype.forEach.call(rows.querySelectorAll("tr[data-id]"), function (tr) {
      known[tr.getAttribute("data-id")] = true;
    });
    window.addEventListener("focus", function () { document.title = baseTitle; });
    window.setTimeout(poll, POLL_MS);
  });
})();
