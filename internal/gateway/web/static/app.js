// The verification page: reads the gateway's /api/v1 and shows documents,
// titles, polls, stall draws and the network's health. No other origin is
// contacted (the gateway's Content-Security-Policy forbids it).
"use strict";

const API = "/api/v1";
let lang = "ru";
const rerender = {}; // section -> function redrawing its last result in the current language

// t returns the message key in the current language, with {name} filled from vars.
function t(key, vars) {
  const s = MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (vars && vars[k] !== undefined ? String(vars[k]) : ""));
}

// el builds an element: el("p", {class: "x"}, "text", child...).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function when(unix) {
  if (!unix) return "—";
  return new Intl.DateTimeFormat(lang === "ru" ? "ru-RU" : "en-GB", { dateStyle: "long", timeStyle: "short" }).format(new Date(unix * 1000));
}

const mono = (s) => el("span", { class: "mono" }, s);

// fields is a definition list of [label key, value] pairs, skipping empty values.
function fields(rows) {
  const dl = el("dl", { class: "fields" });
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === "") continue;
    dl.append(el("dt", {}, t(k)), el("dd", {}, v));
  }
  return dl;
}

function table(caption, heads, rows) {
  return el("table", {},
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, c))))));
}

// ApiError is a problem answer (RFC 9457) of the gateway.
class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || String(status));
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, init) {
  let resp;
  try {
    resp = await fetch(API + path, init);
  } catch (e) {
    throw new Error(t("err.network"));
  }
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new ApiError(resp.status, body);
  return body;
}

// show runs a section's lookup: "loading" in box, then draw(data) or the
// error. draw is kept so that a language switch redraws the result.
async function show(section, box, load, draw) {
  box.replaceChildren(el("p", { class: "hint" }, t("loading")));
  box.setAttribute("aria-busy", "true");
  try {
    const data = await load();
    rerender[section] = () => box.replaceChildren(draw(data));
  } catch (e) {
    rerender[section] = () => box.replaceChildren(errorBox(e));
  }
  box.removeAttribute("aria-busy");
  rerender[section]();
}

function errorBox(e) {
  return el("div", { class: "banner bad", role: "alert" }, el("p", {}, t("err.api", { detail: e.message })));
}

// ---- documents ----

const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const TONE = { valid: "ok", revoked: "bad", expired: "bad", unknown: "bad", superseded: "warn", "not-yet-valid": "warn" };

function drawDocument(d) {
  const issuer = d.issuerName || d.issuer || "—";
  const whenOf = { revoked: d.revokedAt, superseded: d.supersededAt, expired: d.validUntil, "not-yet-valid": d.validFrom }[d.status];
  const succ = d.successor
    ? el("span", {}, el("a", { href: "?doc=" + d.successor.docHash + "#documents", class: "mono" }, d.successor.docHash), " — ", t("status." + d.successor.status))
    : null;
  return el("div", { class: "banner " + (TONE[d.status] || "warn"), "data-status": d.status },
    el("p", { class: "status" }, t("status." + d.status)),
    el("p", {}, t("explain." + d.status, { issuer, when: when(whenOf) })),
    fields([
      ["f.hash", mono(d.docHash)],
      ["f.issuer", d.issuer ? issuer : null],
      ["f.issued", d.issuedAt ? when(d.issuedAt) : null],
      ["f.validFrom", d.validFrom > 1 ? when(d.validFrom) : null],
      ["f.validUntil", d.issuedAt ? (d.validUntil ? when(d.validUntil) : t("f.noExpiry")) : null],
      ["f.revoked", d.revokedAt ? when(d.revokedAt) : null],
      ["f.successor", succ],
      ["f.batchRoot", d.batchRoot ? mono(d.batchRoot) : null],
      ["f.block", d.block ? `${d.block.number} (${when(d.block.time)})` : null],
    ]));
}

function checkDocument(hash) {
  const err = document.getElementById("doc-hash-err");
  const input = document.getElementById("doc-hash");
  if (!HASH.test(hash)) {
    err.textContent = t("doc.badHash");
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  err.textContent = "";
  input.removeAttribute("aria-invalid");
  show("documents", document.getElementById("doc-result"), () => api("/documents/" + hash.toLowerCase()), drawDocument);
}

async function hashFile(file) {
  const progress = document.getElementById("doc-progress");
  const input = document.getElementById("doc-hash");
  progress.textContent = t("doc.hashing", { p: 0 });
  const hash = await keccak256File(file, (f) => (progress.textContent = t("doc.hashing", { p: Math.round(f * 100) })));
  input.value = hash;
  progress.textContent = t("doc.hashed", { name: file.name });
  checkDocument(hash);
}

async function checkBatch() {
  const file = document.getElementById("batch-file").files[0];
  const hash = document.getElementById("doc-hash").value.trim();
  const box = document.getElementById("batch-result");
  if (!file || !HASH.test(hash)) {
    box.replaceChildren(el("p", { class: "error" }, t("batch.need")));
    return;
  }
  let batch;
  try {
    batch = JSON.parse(await file.text());
  } catch (e) {
    box.replaceChildren(el("p", { class: "error" }, t("batch.badJSON", { err: e.message })));
    return;
  }
  const body = JSON.stringify({ docHash: hash.toLowerCase(), batch });
  show("batch", box, () => api("/documents/batch-verifications", { method: "POST", headers: { "Content-Type": "application/json" }, body }), drawDocument);
}

function setupDocuments() {
  const form = document.getElementById("doc-form");
  const file = document.getElementById("doc-file");
  const drop = document.getElementById("doc-drop");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    checkDocument(document.getElementById("doc-hash").value.trim());
  });
  file.addEventListener("change", () => file.files[0] && hashFile(file.files[0]));
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files[0]) hashFile(e.dataTransfer.files[0]);
  });
  document.getElementById("batch-form").addEventListener("submit", (e) => {
    e.preventDefault();
    checkBatch();
  });
  const q = new URLSearchParams(location.search).get("doc");
  if (q) {
    document.getElementById("doc-hash").value = q;
    checkDocument(q);
  }
}

// ---- titles ----

function drawTitle([title, history]) {
  const owners = table(t("title.owners"), [t("title.owner"), t("title.share")], title.owners.map((o) => [mono(o.address), String(o.share)]));
  const liens = title.liens.length
    ? table(t("title.liens"), ["#", t("title.lienHolder"), t("title.lienSince"), t("title.lienReleased")],
      title.liens.map((l) => [String(l.id), mono(l.holder), when(l.createdAt), l.releasedAt ? when(l.releasedAt) : t("title.active")]))
    : el("p", {}, t("title.noLiens"));
  const hist = table(t("title.history"), [t("title.when"), t("title.action"), t("title.party"), t("title.share")],
    history.entries.map((h) => [when(h.time), (MESSAGES.en["action." + h.action] ? t("action." + h.action) : h.action) + (h.ref ? ` (${h.ref})` : ""), mono(h.party), h.share ? String(h.share) : ""]));
  return el("div", { class: "banner plain" },
    el("p", { class: "status" }, title.parcel),
    fields([["title.registered", when(title.registeredAt)], ["title.transfer", title.transfer ? mono(JSON.stringify(title.transfer)) : null], ["f.block", String(title.block.number)]]),
    owners, liens, hist);
}

function setupTitles() {
  document.getElementById("title-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const p = document.getElementById("title-parcel").value.trim();
    const box = document.getElementById("title-result");
    if (!p) {
      box.replaceChildren(el("p", { class: "error" }, t("title.need")));
      return;
    }
    const path = "/titles/" + encodeURIComponent(p);
    show("titles", box, () => Promise.all([api(path), api(path + "/history")]), drawTitle);
  });
}

// ---- polls ----

let currentPoll = null;

function drawChart(labels, values) {
  const max = Math.max(1, ...values);
  const rowH = 36, labelW = 200, width = 640, barW = width - labelW - 60;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${labels.length * rowH}`, class: "chart", role: "img", "aria-label": labels.map((l, i) => `${l}: ${values[i]}`).join("; ") });
  labels.forEach((l, i) => {
    const w = Math.max(Math.round((barW * values[i]) / max), 2), y = i * rowH;
    const name = l.length > 24 ? l.slice(0, 23) + "…" : l;
    chart.append(svg("text", { x: labelW - 10, y: y + rowH / 2 + 5, class: "barlabel", "text-anchor": "end" }, name));
    chart.append(svg("rect", { x: labelW, y: y + 5, width: w, height: rowH - 10, class: "bar" }));
    chart.append(svg("text", { x: labelW + w + 8, y: y + rowH / 2 + 5, class: "barlabel" }, String(values[i])));
  });
  return chart;
}

function drawPoll(p) {
  const box = el("div", { class: "banner plain" });
  const recountBox = el("div", { id: "recount-result", "aria-live": "polite" });
  const recount = el("button", { type: "button", id: "recount" }, t("poll.recount"));
  recount.addEventListener("click", () => {
    recountBox.replaceChildren(el("p", { class: "hint" }, t("poll.recounting")));
    api(`/polls/${p.id}/recount`).then((r) => {
      recountBox.replaceChildren(el("div", { class: "banner " + (r.match ? "ok" : "bad"), "data-match": String(r.match) },
        el("p", {}, r.match ? t("poll.recountOK", { events: r.events, from: r.fromBlock }) : t("poll.recountBad")),
        table(t("poll.chart"), [t("poll.option"), t("poll.fromEvents"), t("poll.contract")], r.options.map((o, i) => [o, String(r.fromEvents[i]), String(r.contract[i])]))));
    }, (e) => recountBox.replaceChildren(errorBox(e)));
  });
  box.append(
    el("p", { class: "status" }, p.question),
    el("p", {}, t("poll.window", { state: t("poll.state." + p.state), from: when(p.opensAt), to: when(p.closesAt) })),
    el("p", {}, t("poll.voters", { n: p.voterCount, total: p.total })),
    el("figure", {}, el("figcaption", {}, t("poll.chart")), drawChart(p.options, p.tallies)),
    table(t("poll.chart"), [t("poll.option"), t("poll.votes")], p.options.map((o, i) => [o, String(p.tallies[i])])),
    fields([["poll.root", mono(p.eligibleRoot)], ["f.block", String(p.block.number)]]),
    recount, recountBox);
  return box;
}

async function loadPolls() {
  const sel = document.getElementById("poll-select");
  try {
    const list = await api("/polls");
    sel.replaceChildren(...list.polls.map((p) => el("option", { value: p.id }, `${p.id}. ${p.question}`)));
    if (!list.polls.length) document.getElementById("poll-result").replaceChildren(el("p", {}, t("poll.none")));
  } catch (e) {
    document.getElementById("poll-result").replaceChildren(errorBox(e));
  }
}

function drawBallot(r) {
  if (r.ballotId) {
    const tone = { counted: "ok", rejected: "bad" }[r.state] || "warn";
    return el("div", { class: "banner " + tone, "data-state": r.state },
      el("p", { class: "status" }, r.state === "counted" ? t("ballot.counted") : r.state),
      el("p", {}, t("ballot.state." + r.state, { block: r.block, tx: r.tx || "", reason: r.reason || "" })));
  }
  if (r.counted) {
    const c = r.cast[r.cast.length - 1];
    return el("div", { class: "banner ok", "data-state": "counted" },
      el("p", { class: "status" }, t("ballot.counted")),
      el("p", {}, t("ballot.countedText", { block: c.blockNumber }), " ", mono(c.tx)));
  }
  return el("div", { class: "banner bad", "data-state": "not-counted" },
    el("p", { class: "status" }, t("ballot.notCounted")),
    el("p", {}, t("ballot.notCountedText")),
    r.rejections.map((j) => el("p", {}, t("ballot.rejected", { reason: j.reason }))));
}

function setupPolls() {
  document.getElementById("poll-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const id = document.getElementById("poll-select").value;
    if (!id) return;
    currentPoll = id;
    document.getElementById("ballot-form").hidden = false;
    show("polls", document.getElementById("poll-result"), () => api("/polls/" + id), drawPoll);
  });
  document.getElementById("ballot-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const v = document.getElementById("ballot-id").value.trim();
    const box = document.getElementById("ballot-result");
    let path;
    if (ADDRESS.test(v)) path = `/polls/${currentPoll}/voters/${v}`;
    else if (HASH.test(v)) path = "/ballots/" + v;
    else {
      box.replaceChildren(el("p", { class: "error" }, t("ballot.bad")));
      return;
    }
    show("ballot", box, () => api(path), drawBallot);
  });
}

// ---- stalls ----

// replay shows the shuffle's steps one at a time.
function drawReplay(d) {
  const a = d.applicants, swaps = d.recomputed.swaps;
  let step = 0;
  const wrap = el("div", { class: "replay" });
  const lead = el("p", { "aria-live": "polite" });
  const body = el("div");
  const draw = () => {
    const order = a.slice();
    let last = null;
    for (let k = 0; k < step; k++) {
      const s = swaps[k];
      [order[s.i], order[s.j]] = [order[s.j], order[s.i]];
      last = s;
    }
    lead.textContent = t("stall.replayLead", { i: step, n: swaps.length }) + (last ? " " + t("stall.swap", { i: last.i + 1, j: last.j + 1 }) : "");
    body.replaceChildren(table(t("stall.replay"), [t("stall.order"), t("stall.applicant")],
      order.map((x, k) => [el("span", { class: last && (k === last.i || k === last.j) ? "moved" : "" }, String(k + 1)), mono(x)])));
  };
  const next = el("button", { type: "button", id: "replay-next" }, t("stall.next"));
  const all = el("button", { type: "button", class: "secondary" }, t("stall.all"));
  const reset = el("button", { type: "button", class: "secondary" }, t("stall.reset"));
  next.addEventListener("click", () => { if (step < swaps.length) step++; draw(); });
  all.addEventListener("click", () => { step = swaps.length; draw(); });
  reset.addEventListener("click", () => { step = 0; draw(); });
  draw();
  wrap.append(el("h3", {}, t("stall.replay")), lead, el("div", { class: "buttons" }, next, all, reset), body);
  return wrap;
}

function drawRound(d) {
  const box = el("div", { class: "banner plain" }, el("p", { class: "status" }, t("stall.round", { id: d.id, market: d.market, state: d.state })));
  if (!d.inputs) {
    box.append(el("p", {}, t("stall.notDrawn")));
    return box;
  }
  const i = d.inputs;
  const yes = (b) => t(b ? "stall.yes" : "stall.no");
  box.append(
    el("div", { class: "banner " + (d.match ? "ok" : "bad"), "data-match": String(d.match) },
      el("p", {}, d.match ? t("stall.match") : t("stall.mismatch", { what: (d.mismatches || []).join("; ") }))),
    el("h3", {}, t("stall.inputs")),
    fields([["stall.seed", mono(i.seed)], ["stall.commitment", yes(i.commitmentMatches)], ["stall.drawBlock", String(i.drawBlock)],
      ["stall.drawBlockHash", mono(i.drawBlockHash)], ["stall.randomness", mono(i.randomness)], ["stall.drawTx", mono(i.drawTx)]]),
    drawReplay(d),
    el("h3", {}, t("stall.result")),
    table(t("stall.result"), [t("stall.stall"), t("stall.holder")], (d.chain?.leases || []).map((l) => [String(l.stall), mono(l.holder)])),
    d.chain?.waitlist?.length ? table(t("stall.waitlist"), ["#", t("stall.applicant")], d.chain.waitlist.map((w, k) => [String(k + 1), mono(w)])) : null);
  return box;
}

async function loadRounds() {
  const sel = document.getElementById("round-select");
  try {
    const list = await api("/rounds");
    sel.replaceChildren(...list.rounds.map((r) => el("option", { value: r.id }, `${r.id} (${r.state}, ${r.applicants})`)));
    if (!list.rounds.length) document.getElementById("round-result").replaceChildren(el("p", {}, t("stall.none")));
  } catch (e) {
    document.getElementById("round-result").replaceChildren(errorBox(e));
  }
}

function setupStalls() {
  document.getElementById("round-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const id = document.getElementById("round-select").value;
    if (id) show("stalls", document.getElementById("round-result"), () => api("/rounds/" + id), drawRound);
  });
}

// ---- anchors ----

const WHOLE = /^[0-9]{1,19}$/;

// anchorQuestion returns the question in the form ({chain, block, tx}), or
// null after marking the field that is wrong. The block may be left out
// when a transaction is given: its receipt names it.
function anchorQuestion() {
  const err = document.getElementById("anchor-err");
  const value = (id) => document.getElementById(id).value.trim();
  const q = { chain: value("anchor-chain"), block: value("anchor-block"), tx: value("anchor-tx") };
  const checks = [
    ["anchor-chain", "anc.badChain", WHOLE.test(q.chain)],
    ["anchor-block", "anc.badBlock", WHOLE.test(q.block) || (q.block === "" && q.tx !== "")],
    ["anchor-tx", "anc.badTx", q.tx === "" || HASH.test(q.tx)],
  ];
  for (const [id] of checks) document.getElementById(id).removeAttribute("aria-invalid");
  for (const [id, key, ok] of checks) {
    if (!ok) {
      err.textContent = t(key);
      document.getElementById(id).setAttribute("aria-invalid", "true");
      document.getElementById(id).focus();
      return null;
    }
  }
  err.textContent = "";
  return q;
}

// notFound turns a 404 problem into a "not anchored" answer.
function notFound(e) {
  if (e instanceof ApiError && e.status === 404) return { notAnchored: e.message };
  throw e;
}

// loadAnchored asks for the receipt's proof first when a transaction is
// given (its block is the one asked about), then where the block is anchored.
async function loadAnchored(q) {
  let receipt = null, block = q.block;
  if (q.tx) {
    try {
      receipt = await api(`/anchors/${q.chain}/receipts/${q.tx.toLowerCase()}/proof`);
    } catch (e) {
      return notFound(e);
    }
    block = String(receipt.record.value.block);
  }
  const d = await api(`/anchors/${q.chain}/blocks/${block}`).catch(notFound);
  d.receipt = receipt;
  return d;
}

// drawReceipt shows a receipt proven through the anchored checkpoint, with
// its proof file to download.
function drawReceipt(p, chain) {
  const r = p.record.value, at = parseInt(p.header.number, 16);
  const name = `anchored-receipt-${chain}-${r.txHash.slice(0, 10)}.json`;
  const href = `${API}/anchors/${chain}/receipts/${r.txHash}/proof?at=${at}`;
  const ok = r.status === 1;
  return el("div", { id: "anchor-receipt", "data-receipt": ok ? "success" : "failed" },
    el("h3", {}, t("anc.receiptH")),
    el("p", {}, t("anc.receiptText", { block: r.block, cp: r.checkpoint, status: t(ok ? "anc.success" : "anc.failed") })),
    fields([
      ["anc.txHash", mono(r.txHash)],
      ["anc.from", mono(r.from)],
      ["anc.to", r.to ? mono(r.to) : t("anc.creation")],
      ["anc.logs", String(r.logs.length)],
      ["anc.blockOf", mono(r.blockHash)],
    ]),
    el("p", {}, el("a", { id: "anchor-receipt-proof", href, download: name }, t("anc.receiptProof"))),
    el("p", { class: "hint" }, t("anc.proofHint", { n: at }), " ", mono(`cityctl audit verify-proof --trusted-header ${p.header.hash} ${name}`)));
}

// departmentName is how a sealing department is shown; "" is a signer no
// department held at the anchoring block.
const departmentName = (d) => (d.code ? d.name || d.code : t("anc.noDept"));

function drawAnchored(d) {
  if (d.notAnchored) {
    return el("div", { class: "banner bad", "data-anchored": "no" },
      el("p", { class: "status" }, t("anc.not")), el("p", {}, d.notAnchored));
  }
  const cp = d.checkpoint, s = d.sealed, at = d.anchoredIn;
  const depts = s.departments.map(departmentName);
  const conflicts = d.conflicts || [];
  return el("div", { class: "banner " + (d.conflicted ? "bad" : "ok"), "data-anchored": d.conflicted ? "conflicted" : "yes", "data-citychain-block": String(at.number) },
    el("p", { class: "status" }, t(d.conflicted ? "anc.conflicted" : "anc.yes", { n: at.number })),
    el("p", {}, t("anc.text", { asked: d.asked, chain: d.chain.chainId, cp: cp.number, n: at.number, depts: depts.join(", ") || "—" })),
    d.receipt ? drawReceipt(d.receipt, d.chain.chainId) : null,
    d.conflicted ? el("p", {}, t("anc.conflictText", { cp: cp.number })) : null,
    conflicts.length ? table(t("anc.conflicts", { cp: cp.number }), [t("anc.cpHash"), t("anc.sealer"), t("anc.citychainBlock")],
      conflicts.map((c) => [mono(c.hash), mono(c.sealer), String(c.anchoredAt)])) : null,
    fields([
      ["anc.checkpoint", String(cp.number)],
      ["anc.cpHash", mono(cp.hash)],
      ["anc.stateRoot", mono(cp.stateRoot)],
      ["anc.receiptsRoot", mono(cp.receiptsRoot)],
      ["anc.sealer", mono(cp.sealer)],
      ["anc.citychainBlock", String(at.number)],
      ["anc.blockHash", mono(at.hash)],
      ["anc.tx", mono(at.tx)],
      ["anc.consensus", d.chain.consensus],
      ["anc.genesis", mono(d.chain.genesisHash)],
      ["anc.latest", String(d.chain.latest.number)],
      ["f.block", `${d.block.number} (${when(d.block.time)})`],
    ]),
    table(t("anc.sealedCaption", { from: s.from, to: s.to }), [t("net.dept"), t("anc.signers"), t("net.sealed")],
      s.departments.map((x) => [departmentName(x), el("span", {}, x.signers.flatMap((a, i) => [i ? ", " : "", mono(a)])), String(x.blocks)])),
    s.capped ? el("p", { class: "hint" }, t("anc.capped", { limit: s.limit })) : null,
    drawCheckpointProof(d),
    el("p", { class: "hint" }, t("anc.record")));
}

// drawCheckpointProof links the proof file of the checkpoint at the block
// the answer was read at, and says how to check it offline.
function drawCheckpointProof(d) {
  const chain = d.chain.chainId, cp = d.checkpoint.number;
  const href = `${API}/anchors/${chain}/checkpoints/${cp}/proof?at=${d.block.number}`;
  return el("div", {},
    el("p", {}, el("a", { id: "anchor-proof", href, download: `anchored-checkpoint-${chain}-${cp}.json` }, t("anc.proof", { cp }))),
    el("p", { class: "hint" }, t("anc.proofHint", { n: d.block.number }), " ", mono(`cityctl audit verify-proof --trusted-header ${d.block.hash} anchored-checkpoint-${chain}-${cp}.json`)));
}

function checkAnchored() {
  const q = anchorQuestion();
  if (q) show("anchors", document.getElementById("anchor-result"), () => loadAnchored(q), drawAnchored);
}

function setupAnchors() {
  document.getElementById("anchor-form").addEventListener("submit", (e) => {
    e.preventDefault();
    checkAnchored();
  });
  const q = new URLSearchParams(location.search);
  if (q.get("chain") && (q.get("block") || q.get("tx"))) {
    document.getElementById("anchor-chain").value = q.get("chain");
    document.getElementById("anchor-block").value = q.get("block") || "";
    document.getElementById("anchor-tx").value = q.get("tx") || "";
    checkAnchored();
  }
}

// ---- network ----

function drawNetwork(n) {
  const signers = table(t("net.signers"), [t("net.signer"), t("net.dept"), t("net.sealed"), t("net.last"), t("net.state")],
    n.signers.map((s) => [mono(s.address), s.department ? s.department.name : "—", String(s.sealed), s.lastSealed ?? "—",
      el("span", { class: s.silent ? "tag bad" : "tag ok" }, t(s.silent ? "net.silent" : "net.ok"))]));
  const blocks = table(t("net.blocks"), [t("net.number"), t("net.time"), t("net.interval"), t("net.signer")],
    n.blocks.slice(-10).reverse().map((b) => [String(b.number), when(b.time), String(b.interval), mono(b.signer)]));
  return el("div", { class: "banner " + (n.sealing >= n.limit ? "ok" : "bad") },
    el("p", { class: "status" }, t("net.sealing", { sealing: n.sealing, n: n.signers.length, limit: n.limit })),
    fields([["net.head", `${n.block.number} (${when(n.block.time)})`], ["net.final", n.finalized ? `${n.finalized.number} (${when(n.finalized.time)})` : "—"], ["net.period", String(n.period)]]),
    n.warnings?.length ? el("ul", { "aria-label": t("net.warnings") }, n.warnings.map((w) => el("li", {}, w.message || JSON.stringify(w)))) : null,
    signers, blocks);
}

function loadNetwork() {
  show("network", document.getElementById("net-result"), () => api("/network"), drawNetwork);
}

// ---- page ----

function setLanguage(l) {
  lang = MESSAGES[l] ? l : "en";
  document.documentElement.lang = lang;
  document.title = t("title");
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  for (const e of document.querySelectorAll("[data-i18n-label]")) e.setAttribute("aria-label", t(e.dataset.i18nLabel));
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  try { localStorage.setItem("lang", lang); } catch (e) { /* storage off */ }
  for (const f of Object.values(rerender)) f();
}

const SECTIONS = ["documents", "titles", "polls", "stalls", "anchors", "network"];
const loaded = {};

function route() {
  const id = SECTIONS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "documents";
  for (const s of SECTIONS) document.getElementById(s).hidden = s !== id;
  for (const a of document.querySelectorAll(".tabs a")) {
    if (a.getAttribute("href") === "#" + id) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (!loaded[id]) {
    loaded[id] = true;
    ({ polls: loadPolls, stalls: loadRounds, network: loadNetwork })[id]?.();
  }
}

function initialLanguage() {
  const q = new URLSearchParams(location.search).get("lang");
  if (q) return q;
  try { if (localStorage.getItem("lang")) return localStorage.getItem("lang"); } catch (e) { /* storage off */ }
  return (navigator.language || "ru").toLowerCase().startsWith("en") ? "en" : "ru";
}

document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
  document.getElementById("net-refresh").addEventListener("click", loadNetwork);
  setupDocuments();
  setupTitles();
  setupPolls();
  setupStalls();
  setupAnchors();
  setLanguage(initialLanguage());
  window.addEventListener("hashchange", route);
  route();
});
