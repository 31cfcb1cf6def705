/* Votes from phones: join with the code, place and take back dots, suggest a priority.
   Every piece of text goes in with textContent, never as HTML. Nothing is fetched from anywhere
   but the laptop that served this page. */
"use strict";

(function () {
  var POLL_MS = 4000;
  var TOKEN_KEY = "nrp-live-token";
  var text = {};
  var token = null;
  var dotsLeft = 0;
  var dotsTotal = 0;
  var busy = false;
  var pollTimer = null;
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules("en") : null;

  function $(id) { return document.getElementById(id); }

  function say(key, values) {
    var template = text[key] || key;
    return template.replace(/\{(\w+)\}/g, function (_all, name) {
      return values && name in values ? String(values[name]) : "";
    });
  }

  function count(base, n, values) {
    var form = n === 0 && text[base + "_zero"] ? "zero" : (plural ? plural.select(n) : (n === 1 ? "one" : "other"));
    var key = text[base + "_" + form] ? base + "_" + form : base + "_other";
    var all = { n: n };
    for (var name in values || {}) { all[name] = values[name]; }
    return say(key, all);
  }

  function show(section) {
    ["loading", "join", "vote"].forEach(function (id) { $(id).hidden = id !== section; });
  }

  function message(id, key) { $(id).textContent = key ? say(key) : ""; }

  async function call(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (token) { headers["Authorization"] = "Bearer " + token; }
    var response;
    try {
      response = await fetch(path, {
        method: method, headers: headers, cache: "no-store", credentials: "omit",
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (error) {
      return { status: 0, data: null };
    }
    var data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    return { status: response.status, data: data };
  }

  function forget(reasonKey) {
    token = null;
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (error) { /* private mode */ }
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    show("join");
    message("join-message", reasonKey);
  }

  function common(result, where) {
    if (result.status === 0) { message(where, "offline"); return true; }
    if (result.status === 401) { forget("restarted"); return true; }
    if (result.status === 503) { message(where, "stopped"); return true; }
    if (result.status === 429) { message(where, "too_fast"); return true; }
    return false;
  }

  // Joining -------------------------------------------------------------------------------------

  async function join(code) {
    code = (code || "").replace(/\D/g, "");
    if (code.length !== 6) { message("join-message", "code_needed"); return; }
    $("join-button").disabled = true;
    message("join-message", "joining");
    var result = await call("POST", "/api/join", { code: code });
    $("join-button").disabled = false;
    if (result.status === 200 && result.data && result.data.token) {
      token = result.data.token;
      dotsTotal = result.data.dots;
      dotsLeft = result.data.dots;
      try { sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token: token, dots: dotsTotal, code: code })); } catch (error) { /* private mode */ }
      message("join-message", "");
      await startVoting();
    } else if (result.status === 403) {
      message("join-message", "wrong_code");
    } else if (result.status === 429) {
      message("join-message", "too_many_tries");
    } else if (result.status === 0) {
      message("join-message", "offline");
    } else {
      message("join-message", result.status === 503 ? "stopped" : "problem");
    }
  }

  // Voting --------------------------------------------------------------------------------------

  async function startVoting() {
    show("vote");
    await refresh();
    if (!pollTimer) {
      pollTimer = setInterval(function () {
        if (document.visibilityState !== "hidden" && !busy) { refresh(); }
      }, POLL_MS);
    }
  }

  async function refresh() {
    var result = await call("GET", "/api/priorities");
    if (common(result, "vote-message")) { return; }
    if (result.status !== 200 || !Array.isArray(result.data)) { message("vote-message", "problem"); return; }
    if ($("vote-message").textContent === say("offline")) { message("vote-message", ""); }
    var placed = 0;
    result.data.forEach(function (row) { placed += row.mine; });
    dotsLeft = Math.max(0, dotsTotal - placed);
    render(result.data);
  }

  function renderDots() {
    $("dots-left").textContent = count("dots_left", dotsLeft);
    var marks = "";
    for (var i = 0; i < dotsTotal; i++) { marks += i < dotsLeft ? "●" : "○"; }
    $("dots-marks").textContent = marks;
  }

  function render(rows) {
    renderDots();
    var list = $("priorities");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (rows.length === 0) {
      var empty = document.createElement("li");
      empty.textContent = say("no_priorities");
      list.appendChild(empty);
      return;
    }
    rows.forEach(function (row) {
      var item = document.createElement("li");
      item.dataset.id = row.id;
      if (row.mine > 0) { item.className = "mine"; }
      var title = document.createElement("div");
      title.className = "title";
      title.textContent = row.title;
      var tally = document.createElement("div");
      tally.className = "count";
      tally.textContent = count("votes", row.votes);
      if (row.mine > 0) {
        var yours = document.createElement("span");
        yours.className = "yours";
        yours.textContent = " · " + count("mine", row.mine);
        tally.appendChild(yours);
      }
      var actions = document.createElement("div");
      actions.className = "actions";
      var place = document.createElement("button");
      place.type = "button";
      place.className = "place";
      place.textContent = say("place_dot");
      place.setAttribute("aria-label", say("place_dot_on", { title: row.title }));
      place.disabled = dotsLeft <= 0;
      place.addEventListener("click", function () { placeDot(row.id); });
      var back = document.createElement("button");
      back.type = "button";
      back.className = "secondary take-back";
      back.textContent = say("take_back");
      back.setAttribute("aria-label", say("take_back_from", { title: row.title }));
      back.disabled = row.mine <= 0;
      back.addEventListener("click", function () { takeBack(row.id); });
      actions.appendChild(place);
      actions.appendChild(back);
      item.appendChild(title);
      item.appendChild(tally);
      item.appendChild(actions);
      list.appendChild(item);
    });
  }

  async function changeDot(method, path, body) {
    if (busy) { return; }
    busy = true;
    var result = await call(method, path, body);
    busy = false;
    if (common(result, "vote-message")) { return; }
    if (result.status === 200 && result.data) {
      dotsLeft = result.data.dots_left;
      message("vote-message", "");
    } else if (result.status === 409) {
      message("vote-message", "no_dots_left");
    } else if (result.status === 404) {
      message("vote-message", "gone");
    } else {
      message("vote-message", "problem");
    }
    await refresh();
  }

  function placeDot(id) { return changeDot("POST", "/api/dots", { priority_id: id }); }

  function takeBack(id) { return changeDot("DELETE", "/api/dots/" + encodeURIComponent(id)); }

  // Ideas ---------------------------------------------------------------------------------------

  async function suggest() {
    var title = $("idea").value.trim();
    if (!title) { message("idea-message", "idea_empty"); return; }
    $("idea-button").disabled = true;
    var result = await call("POST", "/api/ideas", { title: title });
    $("idea-button").disabled = false;
    if (result.status === 202) {
      $("idea").value = "";
      message("idea-message", "idea_sent");
    } else if (result.status === 429 && result.data && result.data.error === "full") {
      message("idea-message", "idea_limit");
    } else if (!common(result, "idea-message")) {
      message("idea-message", result.status === 400 ? "idea_empty" : "problem");
    }
  }

  // Start ---------------------------------------------------------------------------------------

  async function start() {
    var result = await call("GET", "/strings.json");
    text = result.data || {};
    document.documentElement.lang = text.lang || "en";
    document.documentElement.dir = text.dir === "rtl" ? "rtl" : "ltr";
    if (text.lang && window.Intl && Intl.PluralRules) { plural = new Intl.PluralRules(text.lang); }
    document.title = say("page_title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-text]"), function (node) {
      node.textContent = say(node.getAttribute("data-text"));
    });
    $("join-form").addEventListener("submit", function (event) { event.preventDefault(); join($("code").value); });
    $("idea-form").addEventListener("submit", function (event) { event.preventDefault(); suggest(); });

    // The QR code carries the code after '#': it never reaches the server's logs or any other.
    var fromLink = /code=(\d{6})/.exec(location.hash);
    if (fromLink) { history.replaceState(null, "", location.pathname); }
    try {
      var kept = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || "null");
      // The same link again (a reload, a second scan): keep this phone's dots, do not join anew.
      if (kept && typeof kept.token === "string" && (!fromLink || kept.code === fromLink[1])) {
        token = kept.token;
        dotsTotal = kept.dots | 0;
      }
    } catch (error) { token = null; }
    if (token) {
      show("vote");
      await refresh();
      if (token) { await startVoting(); return; }
    }
    show("join");
    if (fromLink) { $("code").value = fromLink[1]; await join(fromLink[1]); }
  }

  // The link opened again in the same tab changes only the part after '#'.
  window.addEventListener("hashchange", function () {
    var fromLink = /code=(\d{6})/.exec(location.hash);
    if (!fromLink) { return; }
    history.replaceState(null, "", location.pathname);
    if (!token) { $("code").value = fromLink[1]; join(fromLink[1]); }
  });

  start();
})();
