/*
 * HSG patient assistant: embeddable chat widget (plain JavaScript, no build step, no CDN).
 *
 * Embed on any page:
 *   <script>window.HSGChatConfig = {serverUrl: "https://assistant.example.org", language: "nl"};</script>
 *   <script src="https://clinic.example.org/widget/widget.js"></script>
 * or without inline script (for pages with a strict Content-Security-Policy):
 *   <script src="/widget/widget.js" data-server-url="https://…" data-language="en"></script>
 *
 * Talks to Rasa's REST channel (POST {serverUrl}/webhooks/rest/webhook). The conversation id is a
 * random 128-bit value kept in localStorage with the transcript, so a reload continues the same
 * conversation. Messages typed while the network is down wait in a stored queue and are sent, in
 * order, when the server answers again. Patient and assistant text only ever reach the page through
 * textContent.
 */
(function () {
  "use strict";

  if (window.HSGChatWidget) {
    return; // loaded twice: keep the first instance
  }

  var SCRIPT = document.currentScript;
  var SCRIPT_URL = SCRIPT && SCRIPT.src ? SCRIPT.src : "";
  var STORAGE_PREFIX = "hsg-chat:v1:";
  var MAX_TRANSCRIPT = 200;
  var REQUEST_TIMEOUT_MS = 45000;
  var MAX_BACKOFF_MS = 30000;
  var NURSE_POLL_MS = 10000; // how often an open conversation asks for messages from the clinic's nurse

  var TEXT = {
    en: {
      title: "HSG assistant",
      open: "Chat with the HSG assistant",
      close: "Close chat",
      languageGroup: "Language",
      newChat: "New chat",
      newChatConfirm: "Start a new conversation? This conversation will be removed from this device.",
      intro:
        "Ask a question about getting ready for your HSG or about how you feel afterwards. " +
        "You can write in English or Dutch.",
      logLabel: "Conversation",
      you: "You:",
      bot: "Assistant:",
      nurse: "Nurse from the clinic:",
      suggestions: "Suggested answers",
      inputLabel: "Your message",
      placeholder: "Type your message",
      send: "Send",
      typing: "The assistant is writing…",
      pending: "Not sent yet",
      failed: "Could not be sent",
      reconnecting: "No connection. Trying again in {s} s. Your messages are kept.",
      reconnectingNow: "No connection. Trying again… Your messages are kept.",
      retryNow: "Try now",
      offline: "You are offline. Your messages will be sent when the connection is back.",
      refused: "This message could not be processed. Please rephrase it or call the clinic.",
      emergency: "Emergency: call {call} now.",
      emergencyNoNumber: "Emergency: call your emergency number now.",
      urgent: "Contact your clinic today: call {call}.",
      urgentNoNumber: "Contact your gynaecologist, GP or clinic today.",
      outOfHours: "Out of hours: {call}",
      callButton: "Call {call}",
      hideBanner: "Hide this warning",
      footer: "This assistant gives general information and is not for emergencies.",
      footerCall: "In an emergency call {call}.",
      switchRequest: "Please continue in English",
      tooLong: "Your message is long; only the first {n} characters will be sent."
    },
    nl: {
      title: "HSG-assistent",
      open: "Chat met de HSG-assistent",
      close: "Chat sluiten",
      languageGroup: "Taal",
      newChat: "Nieuw gesprek",
      newChatConfirm: "Een nieuw gesprek beginnen? Dit gesprek wordt van dit apparaat verwijderd.",
      intro:
        "Stel een vraag over de voorbereiding op uw HSG of over hoe het daarna met u gaat. " +
        "U kunt in het Nederlands of het Engels schrijven.",
      logLabel: "Gesprek",
      you: "U:",
      bot: "Assistent:",
      nurse: "Verpleegkundige van de kliniek:",
      suggestions: "Voorgestelde antwoorden",
      inputLabel: "Uw bericht",
      placeholder: "Typ uw bericht",
      send: "Versturen",
      typing: "De assistent schrijft…",
      pending: "Nog niet verstuurd",
      failed: "Kon niet worden verstuurd",
      reconnecting: "Geen verbinding. Over {s} s proberen we het opnieuw. Uw berichten blijven bewaard.",
      reconnectingNow: "Geen verbinding. We proberen het opnieuw… Uw berichten blijven bewaard.",
      retryNow: "Nu proberen",
      offline: "U bent offline. Uw berichten worden verstuurd zodra er weer verbinding is.",
      refused: "Dit bericht kon niet worden verwerkt. Formuleer het anders of bel de kliniek.",
      emergency: "Spoed: bel nu {call}.",
      emergencyNoNumber: "Spoed: bel nu het alarmnummer.",
      urgent: "Neem vandaag contact op met uw kliniek: bel {call}.",
      urgentNoNumber: "Neem vandaag contact op met uw gynaecoloog, huisarts of kliniek.",
      outOfHours: "Buiten kantooruren: {call}",
      callButton: "Bel {call}",
      hideBanner: "Deze waarschuwing verbergen",
      footer: "Deze assistent geeft algemene informatie en is niet bedoeld voor spoed.",
      footerCall: "Bij spoed belt u {call}.",
      switchRequest: "Graag verder in het Nederlands",
      tooLong: "Uw bericht is lang; alleen de eerste {n} tekens worden verstuurd."
    }
  };

  var COLOR_VARS = {
    primary: "--hsg-primary",
    primaryText: "--hsg-primary-text",
    background: "--hsg-background",
    text: "--hsg-text",
    botBubble: "--hsg-bot-bubble",
    userBubble: "--hsg-user-bubble",
    userText: "--hsg-user-text",
    emergency: "--hsg-emergency",
    urgent: "--hsg-urgent",
    focus: "--hsg-focus"
  };

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        if (attrs[name] === false || attrs[name] === null || attrs[name] === undefined) {
          return;
        }
        if (name === "className") {
          node.className = attrs[name];
        } else {
          node.setAttribute(name, attrs[name] === true ? "" : String(attrs[name]));
        }
      });
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function randomId() {
    var bytes = new Uint8Array(16); // 128 bits
    window.crypto.getRandomValues(bytes);
    var hex = "";
    for (var i = 0; i < bytes.length; i++) {
      hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return hex;
  }

  function readConfig() {
    var config = {};
    var global = window.HSGChatConfig;
    if (global && typeof global === "object") {
      Object.keys(global).forEach(function (key) {
        config[key] = global[key];
      });
    }
    var data = SCRIPT ? SCRIPT.dataset : {};
    if (!config.serverUrl && data.serverUrl) config.serverUrl = data.serverUrl;
    if (!config.language && data.language) config.language = data.language;
    if (!config.container && data.container) config.container = data.container;
    if (!config.emergencyNumber && data.emergencyNumber) config.emergencyNumber = data.emergencyNumber;
    if (!config.maxLength && data.maxLength) config.maxLength = parseInt(data.maxLength, 10);
    if (!config.serverUrl) {
      // Default: the Rasa server on its standard port next to the page.
      config.serverUrl = window.location.protocol + "//" + window.location.hostname + ":5005";
    }
    config.serverUrl = String(config.serverUrl).replace(/\/+$/, "");
    config.maxLength = config.maxLength > 0 ? config.maxLength : 2000;
    return config;
  }

  function initialLanguage(config, stored) {
    if (stored === "en" || stored === "nl") return stored;
    var wanted = String(config.language || document.documentElement.lang || navigator.language || "en");
    return wanted.toLowerCase().indexOf("nl") === 0 ? "nl" : "en";
  }

  function Storage(namespace) {
    this.namespace = namespace;
    this.memory = {};
  }
  Storage.prototype.get = function (key, fallback) {
    var raw = null;
    try {
      raw = window.localStorage.getItem(this.namespace + key);
    } catch (e) {
      raw = this.memory[key] === undefined ? null : this.memory[key];
    }
    if (raw === null || raw === undefined) return fallback;
    try {
      return JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  };
  Storage.prototype.set = function (key, value) {
    var raw = JSON.stringify(value);
    this.memory[key] = raw;
    try {
      window.localStorage.setItem(this.namespace + key, raw);
    } catch (e) {
      /* private mode or full storage: keep it in memory for this page */
    }
  };
  Storage.prototype.remove = function (key) {
    delete this.memory[key];
    try {
      window.localStorage.removeItem(this.namespace + key);
    } catch (e) {
      /* ignore */
    }
  };

  function ChatWidget(config) {
    this.config = config;
    this.store = new Storage(STORAGE_PREFIX);
    this.session = this.store.get("session", null);
    if (typeof this.session !== "string" || !/^web-[0-9a-f]{32}$/.test(this.session)) {
      this.session = "web-" + randomId();
      this.store.set("session", this.session);
    }
    this.lang = initialLanguage(config, this.store.get("language", null));
    this.transcript = this.store.get("transcript", []);
    this.queue = this.store.get("queue", []);
    this.quick = this.store.get("quick", []);
    this.banner = this.store.get("banner", null);
    this.busy = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.countdownTimer = null;
    this.build();
    this.renderAll();
    var self = this;
    window.addEventListener("online", function () {
      self.retrySoon();
    });
    window.addEventListener("offline", function () {
      self.setStatus("offline", self.t("offline"));
    });
    window.addEventListener("storage", function (event) {
      if (event.key && event.key.indexOf(STORAGE_PREFIX) === 0 && !self.busy) {
        self.reload();
      }
    });
    this.pump();
    this.nurseTimer = setInterval(function () {
      self.fetchNurse();
    }, NURSE_POLL_MS);
  }

  ChatWidget.prototype.t = function (key, values) {
    var table = TEXT[this.lang] || TEXT.en;
    return fmt(table[key] || TEXT.en[key] || key, values || {});
  };

  ChatWidget.prototype.build = function () {
    var config = this.config;
    var container = null;
    if (config.container) {
      container =
        typeof config.container === "string" ? document.querySelector(config.container) : config.container;
    }
    this.inline = !!container;
    var root = el("div", { className: "hsg-chat " + (this.inline ? "hsg-chat--inline" : "hsg-chat--floating") });
    var colors = config.colors || {};
    Object.keys(COLOR_VARS).forEach(function (name) {
      if (typeof colors[name] === "string" && /^[#\w(),.%\s-]{1,40}$/.test(colors[name])) {
        root.style.setProperty(COLOR_VARS[name], colors[name]);
      }
    });
    var ids = "hsg-chat-" + randomId().slice(0, 8);
    this.ids = { panel: ids + "-panel", title: ids + "-title", input: ids + "-input", log: ids + "-log" };

    if (!this.inline) {
      this.launcher = el("button", {
        type: "button",
        className: "hsg-chat__launcher",
        "aria-expanded": "false",
        "aria-controls": this.ids.panel
      });
      root.appendChild(this.launcher);
    }

    var panel = el("section", {
      id: this.ids.panel,
      className: "hsg-chat__panel",
      "aria-labelledby": this.ids.title
    });
    if (!this.inline) panel.hidden = true;
    this.panel = panel;

    var header = el("div", { className: "hsg-chat__header" });
    this.titleEl = el("h2", { id: this.ids.title, className: "hsg-chat__title" });
    header.appendChild(this.titleEl);
    var tools = el("div", { className: "hsg-chat__tools" });
    this.langGroup = el("div", { role: "group", className: "hsg-chat__langs" });
    this.langButtons = {};
    var self = this;
    [
      ["en", "English"],
      ["nl", "Nederlands"]
    ].forEach(function (pair) {
      var button = el("button", { type: "button", lang: pair[0], className: "hsg-chat__lang" }, pair[1]);
      button.addEventListener("click", function () {
        self.switchLanguage(pair[0]);
      });
      self.langButtons[pair[0]] = button;
      self.langGroup.appendChild(button);
    });
    tools.appendChild(this.langGroup);
    this.newButton = el("button", { type: "button", className: "hsg-chat__new" });
    this.newButton.addEventListener("click", function () {
      if (window.confirm(self.t("newChatConfirm"))) self.reset();
    });
    tools.appendChild(this.newButton);
    if (!this.inline) {
      this.closeButton = el("button", { type: "button", className: "hsg-chat__close" }, "×");
      this.closeButton.addEventListener("click", function () {
        self.setOpen(false);
      });
      tools.appendChild(this.closeButton);
    }
    header.appendChild(tools);
    panel.appendChild(header);

    this.bannerEl = el("div", { className: "hsg-chat__banner", role: "alert" });
    panel.appendChild(this.bannerEl);

    this.logEl = el("div", {
      id: this.ids.log,
      className: "hsg-chat__log",
      role: "log",
      "aria-live": "polite",
      "aria-relevant": "additions",
      tabindex: "0"
    });
    panel.appendChild(this.logEl);

    this.quickEl = el("div", { className: "hsg-chat__quick", role: "group" });
    panel.appendChild(this.quickEl);

    this.statusEl = el("div", { className: "hsg-chat__status", role: "status", "aria-live": "polite" });
    this.statusText = el("span", { className: "hsg-chat__status-text" });
    this.statusDots = el("span", { className: "hsg-chat__dots", "aria-hidden": "true" });
    this.statusDots.appendChild(el("span"));
    this.statusDots.appendChild(el("span"));
    this.statusDots.appendChild(el("span"));
    this.retryButton = el("button", { type: "button", className: "hsg-chat__retry" });
    this.retryButton.hidden = true;
    this.retryButton.addEventListener("click", function () {
      self.retrySoon();
    });
    this.statusEl.appendChild(this.statusDots);
    this.statusEl.appendChild(this.statusText);
    this.statusEl.appendChild(this.retryButton);
    panel.appendChild(this.statusEl);

    var form = el("form", { className: "hsg-chat__form", novalidate: true });
    this.inputLabel = el("label", { for: this.ids.input, className: "hsg-chat__label" });
    this.input = el("textarea", {
      id: this.ids.input,
      className: "hsg-chat__input",
      rows: "2",
      maxlength: String(this.config.maxLength),
      autocomplete: "off"
    });
    this.sendButton = el("button", { type: "submit", className: "hsg-chat__send" });
    form.appendChild(this.inputLabel);
    var row = el("div", { className: "hsg-chat__row" });
    row.appendChild(this.input);
    row.appendChild(this.sendButton);
    form.appendChild(row);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submitInput();
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.submitInput();
      }
    });
    this.input.addEventListener("input", function () {
      self.store.set("draft", self.input.value);
    });
    this.input.value = this.store.get("draft", "") || "";
    panel.appendChild(form);

    this.footerEl = el("p", { className: "hsg-chat__footer" });
    panel.appendChild(this.footerEl);
    root.appendChild(panel);

    if (this.launcher) {
      this.launcher.addEventListener("click", function () {
        self.setOpen(panel.hidden);
      });
      root.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && !panel.hidden) {
          self.setOpen(false);
        }
      });
    }
    this.root = root;
    (container || document.body).appendChild(root);
    if (!this.inline && this.store.get("open", false)) this.setOpen(true, true);
  };

  ChatWidget.prototype.setOpen = function (open, quiet) {
    if (!this.launcher) return;
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    this.root.classList.toggle("hsg-chat--open", open);
    this.store.set("open", open);
    if (quiet) return;
    if (open) {
      this.input.focus();
      this.scrollToEnd();
    } else {
      this.launcher.focus();
    }
  };

  ChatWidget.prototype.applyLanguage = function () {
    this.root.setAttribute("lang", this.lang);
    this.titleEl.textContent = this.t("title");
    if (this.launcher) {
      this.launcher.textContent = this.t("open");
    }
    if (this.closeButton) this.closeButton.setAttribute("aria-label", this.t("close"));
    this.langGroup.setAttribute("aria-label", this.t("languageGroup"));
    var lang = this.lang;
    var buttons = this.langButtons;
    Object.keys(buttons).forEach(function (code) {
      buttons[code].setAttribute("aria-pressed", code === lang ? "true" : "false");
    });
    this.newButton.textContent = this.t("newChat");
    this.logEl.setAttribute("aria-label", this.t("logLabel"));
    this.quickEl.setAttribute("aria-label", this.t("suggestions"));
    this.inputLabel.textContent = this.t("inputLabel");
    this.input.setAttribute("placeholder", this.t("placeholder"));
    this.sendButton.textContent = this.t("send");
    this.retryButton.textContent = this.t("retryNow");
    this.footerEl.textContent = "";
    this.footerEl.appendChild(document.createTextNode(this.t("footer") + " "));
    if (this.config.emergencyNumber) {
      this.footerEl.appendChild(
        document.createTextNode(this.t("footerCall", { call: this.config.emergencyNumber }))
      );
    }
    // Relabel what is already shown without re-adding it (the log would announce it all again).
    var self = this;
    if (this.introEl) this.introEl.textContent = this.t("intro");
    Array.prototype.forEach.call(this.logEl.querySelectorAll(".hsg-chat__msg"), function (item) {
      var user = item.classList.contains("hsg-chat__msg--user");
      var nurse = item.classList.contains("hsg-chat__msg--nurse");
      var label = item.querySelector(".hsg-chat__sr");
      if (label) label.textContent = self.t(user ? "you" : "bot") + " ";
      var from = item.querySelector(".hsg-chat__from");
      if (nurse && from) from.textContent = self.t("nurse");
      var note = item.querySelector(".hsg-chat__note");
      if (note) note.textContent = self.t(item.classList.contains("hsg-chat__msg--failed") ? "failed" : "pending");
    });
    if (this.banner !== undefined) this.renderBanner();
  };

  ChatWidget.prototype.renderAll = function () {
    this.applyLanguage();
    this.logEl.textContent = "";
    this.introEl = el("p", { className: "hsg-chat__intro" }, this.t("intro"));
    this.logEl.appendChild(this.introEl);
    var self = this;
    this.transcript.forEach(function (entry) {
      self.logEl.appendChild(self.renderEntry(entry));
    });
    this.renderQuick();
    this.renderBanner();
    this.scrollToEnd();
  };

  ChatWidget.prototype.reload = function () {
    this.transcript = this.store.get("transcript", []);
    this.queue = this.store.get("queue", []);
    this.quick = this.store.get("quick", []);
    this.banner = this.store.get("banner", null);
    this.lang = initialLanguage(this.config, this.store.get("language", null));
    this.renderAll();
  };

  ChatWidget.prototype.renderEntry = function (entry) {
    var from = entry.from === "user" || entry.from === "nurse" ? entry.from : "bot";
    var item = el("div", {
      className: "hsg-chat__msg hsg-chat__msg--" + from,
      "data-entry": entry.id
    });
    if (entry.level) item.setAttribute("data-level", entry.level);
    if (from === "nurse") {
      // A person from the clinic, not the assistant: said visibly, for everyone.
      item.appendChild(el("strong", { className: "hsg-chat__from" }, this.t("nurse")));
      item.appendChild(document.createTextNode(" "));
    } else {
      item.appendChild(el("span", { className: "hsg-chat__sr" }, this.t(from === "user" ? "you" : "bot") + " "));
    }
    item.appendChild(el("span", { className: "hsg-chat__text" }, entry.text));
    if (entry.state === "pending" || entry.state === "failed") {
      item.appendChild(
        el("span", { className: "hsg-chat__note" }, this.t(entry.state === "pending" ? "pending" : "failed"))
      );
      item.classList.add("hsg-chat__msg--" + entry.state);
    }
    return item;
  };

  ChatWidget.prototype.scrollToEnd = function () {
    this.logEl.scrollTop = this.logEl.scrollHeight;
  };

  ChatWidget.prototype.save = function () {
    if (this.transcript.length > MAX_TRANSCRIPT) {
      this.transcript = this.transcript.slice(this.transcript.length - MAX_TRANSCRIPT);
    }
    this.store.set("transcript", this.transcript);
    this.store.set("queue", this.queue);
    this.store.set("quick", this.quick);
    this.store.set("banner", this.banner);
    this.store.set("language", this.lang);
  };

  ChatWidget.prototype.addEntry = function (entry) {
    entry.id = entry.id || randomId().slice(0, 12);
    this.transcript.push(entry);
    this.logEl.appendChild(this.renderEntry(entry));
    this.scrollToEnd();
    return entry;
  };

  ChatWidget.prototype.updateEntry = function (id, state) {
    for (var i = 0; i < this.transcript.length; i++) {
      if (this.transcript[i].id === id) {
        if (state) this.transcript[i].state = state;
        else delete this.transcript[i].state;
        var old = this.logEl.querySelector('[data-entry="' + id + '"]');
        if (old) old.replaceWith(this.renderEntry(this.transcript[i]));
      }
    }
  };

  ChatWidget.prototype.renderQuick = function () {
    this.quickEl.textContent = "";
    var self = this;
    (this.quick || []).forEach(function (button) {
      var node = el("button", { type: "button", className: "hsg-chat__chip" }, button.title);
      node.addEventListener("click", function () {
        self.send(button.payload, button.title);
        self.input.focus();
      });
      self.quickEl.appendChild(node);
    });
    this.quickEl.hidden = !(this.quick && this.quick.length);
  };

  ChatWidget.prototype.renderBanner = function () {
    var banner = this.banner;
    this.bannerEl.textContent = "";
    this.bannerEl.className = "hsg-chat__banner";
    if (!banner) {
      this.bannerEl.hidden = true;
      return;
    }
    this.bannerEl.hidden = false;
    this.bannerEl.classList.add("hsg-chat__banner--" + banner.level);
    this.bannerEl.setAttribute("data-level", banner.level);
    var message;
    if (banner.call) {
      message = this.t(banner.level === "emergency" ? "emergency" : "urgent", { call: banner.call });
    } else {
      message = this.t(banner.level === "emergency" ? "emergencyNoNumber" : "urgentNoNumber");
    }
    var body = el("div", { className: "hsg-chat__banner-body" });
    body.appendChild(el("strong", { className: "hsg-chat__banner-title" }, message));
    if (!banner.call && banner.text) {
      body.appendChild(el("span", { className: "hsg-chat__banner-text" }, banner.text));
    }
    var actions = el("div", { className: "hsg-chat__banner-actions" });
    if (banner.call) {
      actions.appendChild(
        el(
          "a",
          { className: "hsg-chat__call", href: "tel:" + banner.call.replace(/[^\d+]/g, "") },
          this.t("callButton", { call: banner.call })
        )
      );
    }
    if (banner.outOfHours) {
      actions.appendChild(
        el("span", { className: "hsg-chat__ooh" }, this.t("outOfHours", { call: banner.outOfHours }))
      );
    }
    body.appendChild(actions);
    this.bannerEl.appendChild(body);
    var hide = el("button", { type: "button", className: "hsg-chat__banner-hide", "aria-label": this.t("hideBanner") }, "×");
    var self = this;
    hide.addEventListener("click", function () {
      self.banner = null;
      self.save();
      self.renderBanner();
      self.input.focus();
    });
    this.bannerEl.appendChild(hide);
  };

  ChatWidget.prototype.setStatus = function (kind, text) {
    this.statusEl.setAttribute("data-state", kind || "idle");
    this.statusText.textContent = text || "";
    this.statusDots.hidden = kind !== "typing";
    this.retryButton.hidden = kind !== "reconnecting";
    this.root.classList.toggle("hsg-chat--reconnecting", kind === "reconnecting" || kind === "offline");
  };

  ChatWidget.prototype.submitInput = function () {
    var text = this.input.value.replace(/^\s+|\s+$/g, "");
    if (!text) return;
    this.input.value = "";
    this.store.remove("draft");
    this.send(text, text);
  };

  /** Queue a message: shown at once, stored, and sent as soon as the server answers. */
  ChatWidget.prototype.send = function (message, shown) {
    message = String(message).slice(0, this.config.maxLength);
    var entry = this.addEntry({ from: "user", text: String(shown).slice(0, this.config.maxLength), state: "pending" });
    this.queue.push({ id: entry.id, message: message, language: this.lang });
    this.quick = [];
    this.renderQuick();
    this.save();
    this.pump();
  };

  ChatWidget.prototype.switchLanguage = function (lang) {
    if (lang === this.lang || !TEXT[lang]) return;
    this.lang = lang;
    this.applyLanguage();
    this.send(this.t("switchRequest"), this.t("switchRequest"));
  };

  ChatWidget.prototype.retrySoon = function () {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    if (this.countdownTimer) {
      clearInterval(this.countdownTimer);
      this.countdownTimer = null;
    }
    if (this.waiting) {
      this.waiting = false;
      this.busy = false;
    }
    this.pump();
  };

  ChatWidget.prototype.post = function (item) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) controller.abort();
    }, REQUEST_TIMEOUT_MS);
    return fetch(this.config.serverUrl + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        sender: this.session,
        message: item.message,
        metadata: { language: item.language || this.lang }
      }),
      signal: controller ? controller.signal : undefined,
      credentials: "omit"
    }).then(
      function (response) {
        clearTimeout(timer);
        return response;
      },
      function (error) {
        clearTimeout(timer);
        throw error;
      }
    );
  };

  ChatWidget.prototype.pump = function () {
    if (this.busy || !this.queue.length) return;
    var self = this;
    var item = this.queue[0];
    this.busy = true;
    this.setStatus("typing", this.t("typing"));
    this.post(item)
      .then(function (response) {
        if (response.ok) {
          return response.json().then(function (replies) {
            self.attempt = 0;
            self.queue.shift();
            self.updateEntry(item.id, null);
            self.receive(Array.isArray(replies) ? replies : []);
            self.finish();
          });
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          // The server refused this message: retrying it would fail forever; tell the patient.
          self.queue.shift();
          self.updateEntry(item.id, "failed");
          self.addEntry({ from: "bot", text: self.t("refused") });
          self.finish();
          return;
        }
        throw new Error("HTTP " + response.status);
      })
      .catch(function () {
        self.scheduleRetry();
      });
  };

  ChatWidget.prototype.finish = function () {
    this.busy = false;
    this.save();
    this.setStatus("idle", "");
    this.pump();
    this.fetchNurse();
  };

  /** Messages the clinic's nurse wrote to this conversation (each handed out once, by our own id). */
  ChatWidget.prototype.fetchNurse = function () {
    if (this.fetchingNurse || !this.transcript.length || document.hidden) return;
    var self = this;
    this.fetchingNurse = true;
    fetch(this.config.serverUrl + "/webhooks/rest/nurse_messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: this.session }),
      credentials: "omit"
    })
      .then(function (response) {
        return response.ok ? response.json() : { messages: [] };
      })
      .then(function (data) {
        var messages = data && Array.isArray(data.messages) ? data.messages : [];
        messages.forEach(function (message) {
          if (message && typeof message.text === "string" && message.text) {
            self.addEntry({ from: "nurse", text: message.text.slice(0, 1600) });
          }
        });
        if (messages.length) self.save();
      })
      .catch(function () {
        /* offline: the messages wait on the server until the next try */
      })
      .then(function () {
        self.fetchingNurse = false;
      });
  };

  ChatWidget.prototype.scheduleRetry = function () {
    var self = this;
    this.attempt += 1;
    var delay = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, this.attempt - 1));
    delay = Math.round(delay * (0.8 + Math.random() * 0.4));
    var due = Date.now() + delay;
    this.waiting = true;
    var tick = function () {
      var left = Math.max(0, Math.ceil((due - Date.now()) / 1000));
      if (navigator.onLine === false) {
        self.setStatus("offline", self.t("offline"));
      } else {
        self.setStatus("reconnecting", left > 0 ? self.t("reconnecting", { s: left }) : self.t("reconnectingNow"));
      }
    };
    tick();
    this.countdownTimer = setInterval(tick, 1000);
    this.retryTimer = setTimeout(function () {
      self.retrySoon();
    }, delay);
  };

  ChatWidget.prototype.receive = function (replies) {
    var self = this;
    var quick = [];
    replies.forEach(function (reply) {
      if (!reply || typeof reply !== "object") return;
      var custom = reply.custom && typeof reply.custom === "object" ? reply.custom : {};
      var triage = custom.triage && typeof custom.triage === "object" ? custom.triage : null;
      var level = triage && typeof triage.level === "string" ? triage.level : null;
      if (typeof reply.text === "string" && reply.text) {
        self.addEntry({ from: "bot", text: reply.text, level: level || undefined });
      }
      if (level === "emergency" || level === "urgent") {
        var current = self.banner;
        if (!current || current.level !== "emergency" || level === "emergency") {
          self.banner = {
            level: level,
            call: typeof triage.call === "string" && triage.call ? triage.call : null,
            outOfHours: typeof triage.out_of_hours === "string" ? triage.out_of_hours : null,
            text: typeof reply.text === "string" ? reply.text.slice(0, 600) : ""
          };
        }
      }
      var buttons = reply.buttons || reply.quick_replies;
      if (Array.isArray(buttons)) {
        quick = [];
        buttons.forEach(function (button) {
          if (button && typeof button.title === "string" && button.title) {
            quick.push({
              title: button.title.slice(0, 80),
              payload: typeof button.payload === "string" && button.payload ? button.payload : button.title
            });
          }
        });
      }
    });
    this.quick = quick;
    this.renderQuick();
    this.renderBanner();
    this.scrollToEnd();
  };

  ChatWidget.prototype.reset = function () {
    ["transcript", "queue", "quick", "banner", "draft"].forEach(this.store.remove.bind(this.store));
    this.session = "web-" + randomId();
    this.store.set("session", this.session);
    this.transcript = [];
    this.queue = [];
    this.quick = [];
    this.banner = null;
    this.renderAll();
    this.input.focus();
  };

  function start() {
    var widget = new ChatWidget(readConfig());
    window.HSGChatWidget = {
      sessionId: function () {
        return widget.session;
      },
      open: function () {
        widget.setOpen(true);
      },
      send: function (text) {
        widget.send(text, text);
      }
    };
  }

  // Stylesheet next to the script, unless the page already links it.
  if (SCRIPT_URL && !document.querySelector("link[data-hsg-chat]")) {
    var link = el("link", { rel: "stylesheet", href: SCRIPT_URL.replace(/widget\.js(\?.*)?$/, "widget.css"), "data-hsg-chat": "1" });
    document.head.appendChild(link);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
