// The envup lab page. Every string a seat sent is put in the page as
// text (textContent, title, option text), never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const marks = { unchanged: "✓", applied: "✓", pending: "…", skipped: "–", failed: "✗" };
let lab = null;      // the last /api/v1/lab
let openHost = null; // the seat whose detail is shown
let against = "";    // the reference seat chosen, "" for the server's pick

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function when(iso) {
  const d = new Date(iso);
  const s = Math.round((Date.now() - d.getTime()) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  if (s < 86400) return Math.round(s / 3600) + " h ago";
  return d.toLocaleString();
}

async function getJSON(url) {
  const res = await fetch(url, { cache: "no-store" });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

async function load() {
  try {
    lab = await getJSON("/api/v1/lab");
  } catch (e) {
    $("counts").textContent = "could not read the lab: " + e.message;
    return;
  }
  render();
  if (openHost !== null) showSeat(openHost);
}

function render() {
  $("recipe").textContent = "recipe " + lab.recipe.name + " (sha256 " + lab.recipe.digest.slice(0, 12) + ")";
  const byState = {};
  for (const s of lab.seats) byState[s.state] = (byState[s.state] || 0) + 1;
  const parts = ["ready", "pending", "failed"].filter((k) => byState[k]).map((k) => byState[k] + " " + k);
  $("counts").textContent = lab.seats.length + (lab.seats.length === 1 ? " seat" : " seats") + (parts.length ? ": " + parts.join(", ") : "");
  $("empty").hidden = lab.seats.length > 0;

  const head = $("head");
  head.replaceChildren(el("th", "Seat"), el("th", "OS"), el("th", "Last report"), el("th", "State"));
  for (const id of lab.columns) {
    const th = el("th", id, "res");
    th.title = id;
    head.append(th);
  }
  const rows = lab.seats.map(seatRow);
  $("seats").replaceChildren(...rows);
}

function seatRow(s) {
  const tr = el("tr");
  tr.dataset.host = s.host;
  if (s.host === openHost) tr.classList.add("open");
  const host = el("td", s.host, "host");
  host.title = s.host + (s.user ? " (" + s.user + ")" : "");
  // "Debian GNU/Linux 12 (bookworm)" names its version already; "Windows 10 Pro" does not.
  const osText = s.os_name.includes(s.os_version) ? s.os_name : (s.os_name + " " + s.os_version).trim();
  const os = el("td", osText);
  os.title = s.platform;
  const last = el("td", when(s.received));
  last.title = s.received + " (" + s.command + ", " + s.reports + (s.reports === 1 ? " report)" : " reports)");
  const state = el("td", s.state, "state st-" + s.state);
  if (s.recipe.digest !== lab.recipe.digest) {
    state.append(" ", el("span", "other recipe", "other"));
    state.title = "applied " + s.recipe.name + " (sha256 " + s.recipe.digest.slice(0, 12) + "), not this lab's";
  }
  const failedChecks = (s.checks || []).filter((c) => !c.passed);
  if (failedChecks.length) {
    state.title = (state.title ? state.title + "\n" : "") + failedChecks.map((c) => "check " + c.name + " failed: " + c.reason).join("\n");
  }
  tr.append(host, os, last, state);
  const byID = new Map((s.resources || []).map((r) => [r.id, r]));
  for (const id of lab.columns) {
    const r = byID.get(id);
    const td = el("td", r ? marks[r.status] || "?" : "", "cell st-" + (r ? r.status : "none"));
    td.title = r ? id + ": " + r.status + (r.reason ? "\n" + r.reason : "") : id + ": not in this seat's report";
    tr.append(td);
  }
  tr.addEventListener("click", () => {
    openHost = openHost === s.host ? null : s.host;
    against = "";
    for (const row of $("seats").children) row.classList.toggle("open", row.dataset.host === openHost);
    if (openHost === null) $("detail").hidden = true;
    else showSeat(openHost);
  });
  return tr;
}

async function showSeat(host) {
  let q = "/api/v1/seat?host=" + encodeURIComponent(host);
  if (against) q += "&against=" + encodeURIComponent(against);
  let d;
  try {
    d = await getJSON(q);
  } catch (e) {
    $("detail-title").textContent = host + ": " + e.message;
    return;
  }
  if (host !== openHost) return; // another seat was opened meanwhile
  const s = d.seat;
  $("detail").hidden = false;
  $("detail-title").textContent = s.host + " — " + s.state;
  $("detail-meta").textContent = [s.user && "user " + s.user, s.platform, "last report " + new Date(s.received).toLocaleString()].filter(Boolean).join(" · ");
  $("recipe-title").textContent = "Against the recipe " + d.recipe.with;
  $("recipe-drift").textContent = d.recipe.error || d.recipe.text;

  const sel = $("against");
  const ref = d.against ? d.against.with : "";
  sel.replaceChildren(...lab.seats.filter((o) => o.host !== host).map((o) => {
    const opt = el("option", o.host);
    opt.value = o.host;
    opt.selected = o.host === ref;
    return opt;
  }));
  $("seat-drift").textContent = d.against ? d.against.error || d.against.text : "no other seat to compare with";

  $("history").replaceChildren(...d.history.slice().reverse().map((h) => {
    const li = el("li", new Date(h.received).toLocaleString() + "  " + h.command + "  " + h.state);
    li.className = "st-" + h.state;
    if (h.recipe_digest !== lab.recipe.digest) li.append(el("span", "  (other recipe)", "other"));
    return li;
  }));
}

function listen() {
  const es = new EventSource("/api/v1/events");
  let timer = null;
  es.onopen = () => {
    $("live").className = "live on";
    $("live").textContent = "live";
    load(); // what came while the stream was down
  };
  es.onerror = () => {
    $("live").className = "live off";
    $("live").textContent = "reconnecting…";
  };
  es.addEventListener("report", () => {
    // Thirty seats report at once: read the room once for them all.
    if (timer === null) timer = setTimeout(() => { timer = null; load(); }, 150);
  });
}

$("against").addEventListener("change", (e) => {
  against = e.target.value;
  if (openHost !== null) showSeat(openHost);
});
load();
listen();
// "3 min ago" grows old: say it again each minute.
setInterval(() => { if (lab !== null) render(); }, 60000);
