/* The simulator's pages: what a person does is sent as JSON to the documented APIs (the
 * Console's, the Flex UI's, the control plane), same-origin; live regions follow the state
 * through a Server-Sent Events stream of the page itself (or polling). No framework. */
(() => {
  "use strict";

  // -- calling the JSON APIs -----------------------------------------------------------------
  const meta = (name) => {
    const el = document.querySelector(`meta[name="${name}"]`);
    return el ? el.content : null;
  };
  const TOKENS = { console: () => meta("sim-console-session"), flex: () => meta("sim-flex-token") };

  class ApiError extends Error {
    constructor(body, status) {
      super((body && body.message) || `HTTP ${status}`);
      this.code = body && body.code;
      this.moreInfo = body && body.more_info;
      this.status = status;
    }
  }

  async function call(method, url, body, auth) {
    const headers = { Accept: "application/json" };
    const token = auth && TOKENS[auth] ? TOKENS[auth]() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    const init = { method, headers, credentials: "same-origin" };
    if (method !== "GET") {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body || {});
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { message: text }; }
    if (!response.ok) throw new ApiError(data, response.status);
    return data;
  }

  function setPath(target, name, value) {
    const parts = name.split(".");
    let here = target;
    for (const part of parts.slice(0, -1)) here = here[part] = here[part] || {};
    here[parts[parts.length - 1]] = value;
  }

  function formBody(form) {
    const body = {};
    const elements = [...form.elements];
    for (const selector of (form.dataset.with || "").split(",").filter(Boolean)) {
      const extra = document.querySelector(selector);
      if (extra) elements.push(extra);
    }
    for (const el of elements) {
      if (!el.name || el.disabled || el.type === "submit" || el.type === "file") continue;
      if (el.type === "checkbox") {
        if (el.dataset.list !== undefined) {
          const list = body[el.name] || [];
          if (el.checked) list.push(el.value);
          body[el.name] = list;
        } else body[el.name] = el.checked;
        continue;
      }
      if (el.type === "radio" && !el.checked) continue;
      if (el.value === "" && el.dataset.optional !== undefined) continue;
      setPath(body, el.name, el.type === "number" ? Number(el.value) : el.value);
    }
    return body;
  }

  const fill = (template, data) =>
    template.replace(/\{(\w+)\}/g, (_, key) => (data && data[key] != null ? data[key] : ""));

  // -- messages on the page ---------------------------------------------------------------
  function toast(text, seconds = 6) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const item = document.createElement("div");
    item.className = "toast";
    item.textContent = text;
    box.append(item);
    setTimeout(() => item.remove(), seconds * 1000);
  }

  function showError(form, error) {
    let slot = form.querySelector(".form-error");
    if (!slot) {
      slot = document.createElement("p");
      slot.className = "form-error";
      slot.setAttribute("role", "alert");
      form.append(slot);
    }
    slot.textContent = "";
    slot.hidden = !error;
    if (!error) return;
    slot.append(error.message);
    if (error.code) {
      slot.append(" (Twilio error ");
      const link = document.createElement("a");
      link.href = error.moreInfo || `https://www.twilio.com/docs/errors/${error.code}`;
      link.rel = "noreferrer";
      link.textContent = String(error.code);
      slot.append(link, ")");
    }
  }

  // -- flows of more than one call ---------------------------------------------------------
  let pendingSignUp = null;   // the sign-up's email and password, kept to log in once verified

  async function consoleLogIn(email, password, next) {
    const me = await call("POST", "/console/login", { email, password });
    await call("POST", "/console/browser-session", { session_token: me.session_token });
    location.assign(next || "/console/account");
  }

  async function flexSignIn(token) {
    await call("POST", "/flex/browser-session", { token });
    location.assign("/flex");
  }

  const FLOWS = {
    "console-login": (form, body) => consoleLogIn(body.email, body.password, form.dataset.next),
    async "console-signup"(form, body) {
      const answer = await call("POST", "/console/signup", body);
      pendingSignUp = { email: body.email, password: body.password };
      const verify = document.getElementById("verify-step");
      verify.elements.email.value = body.email;
      verify.querySelector("[data-sent-to]").textContent = answer.verification.to;
      verify.querySelector("[data-handset-link]").href =
        `/inspector/handsets/${encodeURIComponent(body.phone)}`;
      form.hidden = true;
      verify.hidden = false;
      verify.elements.code.focus();
      return "keep";
    },
    async "console-verify"(form, body) {
      await call("POST", "/console/signup/verify", body);
      if (!pendingSignUp) return location.assign("/console");
      return consoleLogIn(pendingSignUp.email, pendingSignUp.password, "/console/account");
    },
    async "console-logout"() {
      try { await call("POST", "/console/logout", {}, "console"); } catch (e) { /* already out */ }
      await call("DELETE", "/console/browser-session");
      location.assign("/console");
    },
    async "launch-flex"(form) {
      const answer = await call("POST", form.dataset.url, {}, "console");
      return flexSignIn(answer.token);
    },
    async "accept-invite"(form, body) {
      await call("POST", form.dataset.url, body);
      return consoleLogIn(form.dataset.email, body.password, "/console/account");
    },
    async "sso-sign-in"(form, body) {
      const instance = form.dataset.instance;
      const signed = await call("POST", `/_sim/v1/flex/sso/${instance}/assertions`, {
        attributes: { roles: body.roles, full_name: body.full_name, email: body.email } });
      const answer = await call("POST", signed.sign_in_url, { SAMLResponse: signed.SAMLResponse });
      return flexSignIn(answer.token);
    },
    async "flex-sign-out"() {
      await call("DELETE", "/flex/browser-session");
      location.assign("/flex");
    },
    async "open-handset"(form, body) {
      location.assign(`/inspector/handsets/${encodeURIComponent(body.number.trim())}`);
    },
    async restore(form) {
      const file = form.querySelector("input[type=file]").files[0];
      let data;
      try { data = JSON.parse(await file.text()); } catch (e) {
        throw new ApiError({ message: "That file is not JSON: a snapshot is GET /_sim/v1/snapshot's answer" }, 400);
      }
      const answer = await call("PUT", "/_sim/v1/snapshot", data);
      toast(`Restored ${answer.records} records`);
    },
    async "add-fault"(form, body) {
      let fault;
      try { fault = JSON.parse(body.fault); } catch (e) {
        throw new ApiError({ message: "The fault is not JSON" }, 400);
      }
      await call("POST", "/_sim/v1/faults", fault);
      toast("Fault added");
    },
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-call], form[data-flow]");
    if (!form) return;
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const buttons = [...form.querySelectorAll("button")];
    buttons.forEach((b) => b.setAttribute("aria-busy", "true"));
    showError(form, null);
    try {
      const body = formBody(form);
      let result;
      if (form.dataset.flow) {
        result = await FLOWS[form.dataset.flow](form, body);
        if (result === "keep") return;
      } else {
        const [method, url] = form.dataset.call.split(" ");
        result = await call(method, url, body, form.dataset.auth);
      }
      if (form.dataset.done) toast(fill(form.dataset.done, { ...body, ...(result || {}) }));
      if (form.dataset.reset !== undefined) {
        const names = form.dataset.reset ? form.dataset.reset.split(",") : null;
        for (const el of form.elements) {
          if ((el.tagName === "TEXTAREA" || el.type === "text") && (!names || names.includes(el.name))) el.value = "";
        }
      }
      const then = form.dataset.then || "refresh";
      if (then === "reload") location.reload();
      else if (then.startsWith("goto:")) location.assign(fill(then.slice(5), result));
      else refreshNow();
    } catch (error) {
      showError(form, error);
    } finally {
      buttons.forEach((b) => b.removeAttribute("aria-busy"));
    }
  });

  // a select that submits its form when changed (the Flex status menu)
  document.addEventListener("change", (event) => {
    const form = event.target.closest("form[data-submit-on-change]");
    if (form && event.target.tagName === "SELECT") form.requestSubmit();
  });

  // -- small widgets ------------------------------------------------------------------------
  document.addEventListener("click", (event) => {
    const reveal = event.target.closest("[data-reveal]");
    if (reveal) {
      const secret = document.getElementById(reveal.dataset.reveal);
      const shown = secret.hidden;
      secret.hidden = !shown;
      reveal.setAttribute("aria-expanded", String(shown));
      reveal.textContent = reveal.textContent.replace(shown ? /^Show/ : /^Hide/, shown ? "Hide" : "Show");
      return;
    }
    const pick = event.target.closest("[data-fill-idp]");
    if (pick) {
      const form = document.getElementById("idp-form");
      form.elements.email.value = pick.dataset.email;
      form.elements.full_name.value = pick.dataset.fullName;
      const roles = pick.dataset.roles.split(",");
      for (const box of form.querySelectorAll("input[name=roles]")) box.checked = roles.includes(box.value);
      form.querySelector("button[type=submit]").focus();
      return;
    }
    if (event.target.closest("[data-ask-notifications]")) askNotifications();
  });

  // the inspector's clock: frozen, the time the page says; real, the browser's time + offset
  function tickClock() {
    const clock = document.querySelector("[data-clock]");
    if (!clock) return;
    const text = clock.querySelector("[data-clock-text]");
    const when = clock.dataset.mode === "frozen" ? new Date(clock.dataset.now)
      : new Date(Date.now() + Number(clock.dataset.offset || 0) * 1000);
    if (!Number.isNaN(when.getTime())) {
      text.textContent = when.toISOString().replace(".000Z", "Z").replace(/\.\d+Z$/, "Z");
      text.setAttribute("datetime", when.toISOString());
    }
  }

  // -- live regions ---------------------------------------------------------------------------
  const applied = new Map();   // region id -> the HTML last put there (as this browser writes it)
  const FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary";

  function keepState(region) {
    const kept = { values: [], focus: null };
    for (const el of region.querySelectorAll("input, textarea, select")) {
      if (el.type === "hidden" || !el.id) continue;
      kept.values.push([el.id, el.value]);
    }
    const active = document.activeElement;
    if (active && region.contains(active)) {
      // by id, else by its place among the region's buttons, links and fields
      const place = [...region.querySelectorAll(FOCUSABLE)].indexOf(active);
      kept.focus = [active.id || null, active.selectionStart, active.selectionEnd, place];
    }
    kept.open = [...region.querySelectorAll("details[open]")].map((d) => d.closest("[id], [data-message], [data-delivery]"))
      .filter(Boolean).map((el) => el.id || el.dataset.message || el.dataset.delivery);
    return kept;
  }

  function restoreState(region, kept) {
    for (const [id, value] of kept.values) {
      const el = document.getElementById(id);
      if (el && region.contains(el)) el.value = value;
    }
    if (kept.focus) {
      const el = kept.focus[0] ? document.getElementById(kept.focus[0])
        : region.querySelectorAll(FOCUSABLE)[kept.focus[3]];
      if (el && region.contains(el)) {
        el.focus();
        if (el.setSelectionRange && kept.focus[1] != null) {
          try { el.setSelectionRange(kept.focus[1], kept.focus[2]); } catch (e) { /* not text */ }
        }
      }
    }
  }

  function applyPage(html) {
    const fresh = new DOMParser().parseFromString(html, "text/html");
    let changed = false;
    for (const next of fresh.querySelectorAll("[data-live][id]")) {
      const region = document.getElementById(next.id);
      if (!region) continue;
      const markup = next.innerHTML;
      if (applied.get(next.id) === markup) continue;
      const kept = keepState(region);
      region.innerHTML = markup;
      applied.set(next.id, markup);
      restoreState(region, kept);
      changed = true;
    }
    if (changed) {
      tickClock();
      document.dispatchEvent(new CustomEvent("sim:updated"));
    }
  }

  let polling = null;
  async function refreshNow() {
    if (!document.querySelector("[data-live]")) return;
    try {
      const response = await fetch(location.href, { headers: { "X-Sim-Live": "poll" }, credentials: "same-origin" });
      if (response.redirected) return location.assign(response.url);
      if (response.ok) applyPage(await response.text());
    } catch (e) { /* the simulator restarts: try again later */ }
  }

  function poll() {
    if (!polling) polling = setInterval(() => { if (!document.hidden) refreshNow(); }, 2000);
  }

  function startLive() {
    const regions = document.querySelectorAll("[data-live][id]");
    if (!regions.length) return;
    for (const region of regions) applied.set(region.id, region.innerHTML);
    if (!("EventSource" in window)) return poll();
    const stream = new EventSource(location.href);
    stream.addEventListener("page", (event) => applyPage(event.data));
    stream.addEventListener("gone", (event) => { stream.close(); location.assign(event.data); });
    stream.addEventListener("busy", () => { stream.close(); poll(); });
    stream.onerror = () => { if (stream.readyState === EventSource.CLOSED) poll(); };
  }

  // -- Flex: the notification permission and incoming reservations -------------------------------
  const ASKED = "twilio-sim-flex-notifications-asked";
  const SEEN = "twilio-sim-flex-reservations-seen";

  function notificationState() {
    return "Notification" in window ? Notification.permission : "unsupported";
  }

  function showNotificationState() {
    const banner = document.getElementById("notifications");
    if (!banner) return;
    const state = notificationState();
    banner.hidden = false;
    banner.dataset.permission = state;
    for (const p of banner.querySelectorAll("[data-state]")) p.classList.toggle("on", p.dataset.state === state);
  }

  async function askNotifications() {
    if (!("Notification" in window)) return showNotificationState();
    localStorage.setItem(ASKED, "yes");
    try { await Notification.requestPermission(); } catch (e) { /* an old browser */ }
    showNotificationState();
  }

  function announceReservations() {
    const seen = new Set(JSON.parse(sessionStorage.getItem(SEEN) || "[]"));
    for (const task of document.querySelectorAll("[data-reservation][data-status=pending]")) {
      const sid = task.dataset.reservation;
      if (seen.has(sid)) continue;
      seen.add(sid);
      const title = `Incoming ${task.dataset.channel.toUpperCase()} task from ${task.dataset.from}`;
      const text = task.dataset.preview || "";
      toast(text ? `${title}: “${text}”` : title, 10);
      if (notificationState() === "granted") {
        try {
          const note = new Notification(title, { body: text, tag: sid });
          note.onclick = () => { window.focus(); task.scrollIntoView(); };
        } catch (e) { /* some browsers only notify from a service worker */ }
      }
    }
    sessionStorage.setItem(SEEN, JSON.stringify([...seen]));
  }

  function startFlex() {
    if (!document.querySelector('meta[name="sim-flex-token"]')) return;
    showNotificationState();
    // the seed: "When you open the Flex UI for the first time, you might see a popup in your
    // browser asking you to accept notifications"
    if (notificationState() === "default" && !localStorage.getItem(ASKED)) askNotifications();
    announceReservations();
    document.addEventListener("sim:updated", announceReservations);
  }

  tickClock();
  setInterval(tickClock, 1000);
  startLive();
  startFlex();

  window.twilioSim = { call, refreshNow };   // for the console of the browser's devtools
})();
