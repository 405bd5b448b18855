#!/usr/bin/env python3
"""bench-network-timeline.py RUN: where a citynode network's blocks spent their time.

RUN is a results directory of scripts/bench-network.sh run with
BENCH_CITYNODE_FLAGS="--log.vmodule=gossip/*=4" (each received block is logged
with its age). For each block sealed during the load, from every signer's log
and citybench's report: its sealer, in turn or not, transactions, its slot
(the header's time) relative to the first send, when the sealer handed it over
and stored it (seconds after the slot, from "Sealed new block" late=, stored=), when each other signer
received it and made it its head (seconds after the slot), and when citybench
saw it on the loaded signer. Then, per sealer, the delay from hand-over to
arrival at the other signers (p50, p90, max), and the transactions' mean
latency split into the answer, the wait from the answer to the block's slot,
and the slot to the block seen on the loaded signer.
"""
import datetime as dt
import json
import os
import re
import sys

run = sys.argv[1]
net = os.path.join(run, "citynode/net")
rep = json.load(open(os.path.join(run, "citynode/report.json")))
started = rep["started"].rstrip("Z")
whole, _, frac = started.partition(".")
t0 = dt.datetime.fromisoformat(whole).replace(tzinfo=dt.timezone.utc).timestamp() + float("0." + (frac or "0"))
day = dt.datetime.fromtimestamp(t0, dt.timezone.utc).strftime("%Y-%m-%d")


def at(stamp):  # "12-06|03:37:14.157": seconds since the epoch (the run's day)
    return dt.datetime.strptime(day + " " + stamp.split("|")[1], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=dt.timezone.utc).timestamp()


def dur(s):  # a Go duration as logged: seconds
    s = s.strip('"')
    for unit, f in (("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9), ("s", 1.0)):
        if s.endswith(unit):
            return float(s[: -len(unit)]) * f
    return float("nan")


nodes = sorted(d for d in os.listdir(net) if d.startswith("signer"))
seal, recv, head = {}, {}, {}
for n in nodes:
    for line in open(os.path.join(net, n, "citynode.log"), errors="replace"):
        m = re.match(r"\w+\s*\[(\S+)\] (.*?)\s{2,}(.*)", line)
        if not m:
            continue
        t, msg, kv = at(m.group(1)), m.group(2), dict(re.findall(r'(\w+)=("[^"]*"|\S+)', m.group(3)))
        h = kv.get("hash")
        if msg == "Sealed new block":
            seal[h] = (n, t, kv)
        elif msg == "Received gossiped block":
            recv.setdefault((n, h), t)
        elif msg == "Chain head was updated":
            head.setdefault((n, h), t)

blocks = {b["number"]: b for b in rep["blocks"]}
nan = float("nan")
print("block sealer turn    txs  slot(s)  handed  stored | each other signer: received / head (s after the slot) | seen on the loaded signer")
delays = {}
for h, (n, t, kv) in sorted(seal.items(), key=lambda e: (int(e[1][2]["number"]), e[1][0])):
    num, txs = int(kv["number"]), int(kv["txs"])
    b = blocks.get(num)
    if not b:
        continue
    slot = b["timestamp"]
    canonical = b["txs"] == txs
    handed = t - dur(kv["stored"]) + dur(kv["late"])  # logged when stored; out of turn the release is not the slot
    others = []
    for o in nodes:
        if o == n:
            continue
        rv, hd = recv.get((o, h)), head.get((o, h))
        others.append(f"{o[-1]}: {(rv - slot) if rv else nan:5.2f} / {(hd - slot) if hd else nan:5.2f}")
        if rv and txs:
            delays.setdefault(n, []).append(rv - handed)
    seen = t0 + b["seen_s"] - slot if canonical else nan
    print(f"{num:5d} {n[-1]:>6} {'in ' if kv['inturn'] == 'true' else 'out'} {txs:6d} {slot - t0:8.2f} {handed - slot:7.3f} {t - slot:7.3f} | {'   '.join(others)} | {seen:5.2f}{'' if canonical else '  (not canonical)'}")
for n in sorted(delays):
    d = sorted(delays[n])
    print(f"{n}'s blocks with transactions, hand-over to arrival at the others (s): n={len(d)} p50={d[len(d) // 2]:.3f} p90={d[int(len(d) * 0.9)]:.3f} max={d[-1]:.3f}")
weight = sum(b.get("workload", 0) for b in rep["blocks"])
if weight:
    lag = sum((t0 + b["seen_s"] - b["timestamp"]) * b["workload"] for b in rep["blocks"] if b.get("workload"))
    mean, answer = rep["latency"]["mean_s"], rep["answer_latency"]["mean_s"]
    print(f"mean latency {mean:.2f} s = answer {answer:.2f} + answer to the block's slot {mean - answer - lag / weight:.2f} + slot to seen {lag / weight:.2f}")

# Per transaction (citybench --tx-times, written by bench-network.sh since
# 2026-12-06 as citynode/txtimes.csv): where the slowest transactions' time
# went, and what each block left behind that had been answered before its slot.
times = os.path.join(run, "citynode/txtimes.csv")
if not os.path.exists(times):
    sys.exit(0)
sealer = {}  # canonical block number: its sealer and turn
for h, (n, t, kv) in seal.items():
    b = blocks.get(int(kv["number"]))
    if b and b["txs"] == int(kv["txs"]):
        sealer[int(kv["number"])] = (n, kv["inturn"] == "true")
rows = [line.split(",") for line in open(times).read().splitlines()[1:]]
# The transfers workload's transaction k is account k mod accounts's next
# nonce (in the CSV's order): a transaction can be sealed only once every
# earlier nonce of its account is in the pool, so "ready" is the latest answer
# among them; a batch answered before an earlier one (held batches released
# out of order) leaves a nonce gap until the earlier one is answered.
accounts = rep["accounts"]
ready = [float(r[2]) for r in rows]
for k in range(accounts, len(rows)):
    ready[k] = max(ready[k], ready[k - accounts])
gapped = sorted(ready[k] - float(r[2]) for k, r in enumerate(rows))
print(f"\nnonce gaps: {sum(1 for g in gapped if g > 0.001)} of {len(rows)} transactions answered before an earlier nonce of their account; ready after answer mean {sum(gapped) / len(gapped):.3f} s, p95 {gapped[int(len(gapped) * 0.95)]:.3f} s")
txs = []
for k, (_, sent, answered, block, seen) in enumerate(rows):
    if block:
        txs.append((float(sent), ready[k], int(block), float(seen)))
txs.sort(key=lambda x: x[3] - x[0])
loaded = nodes[0]


def split(sel, label):
    if not sel:
        return
    k = len(sel)
    ans = sum(a - s for s, a, b, e in sel) / k
    slot = sum(blocks[b]["timestamp"] - t0 - a for s, a, b, e in sel) / k
    seen = sum(e - (blocks[b]["timestamp"] - t0) for s, a, b, e in sel) / k
    by = {}
    for s, a, b, e in sel:
        n = sealer.get(b, ("?", False))[0]
        by[n] = by.get(n, 0) + 1
    shares = ", ".join(f"{n} {c / k:.0%}" for n, c in sorted(by.items()))
    print(f"{label}: n={k} latency {sum(e - s for s, a, b, e in sel) / k:.2f} s = ready {ans:.2f} + ready to slot {slot:.2f} + slot to seen {seen:.2f}; sealed by {shares}")


n = len(txs)
print(f"\nper transaction ({n} mined): latency p50 {txs[n // 2][3] - txs[n // 2][0]:.2f} s, p95 {txs[int(n * 0.95)][3] - txs[int(n * 0.95)][0]:.2f} s")
split(txs[int(n * 0.45):int(n * 0.55)], "p45-p55")
split(txs[int(n * 0.93):int(n * 0.97)], "p93-p97")
split(txs[int(n * 0.99):], "p99-max")
# For each block: transactions answered before its slot that a later block took
# ("left"), by how long before the slot they were answered: what the sealer
# could have held by gossip and did not take.
print("\nblock sealer turn    txs | ready before the slot, taken later: count, and ready >0.5 s / >1 s before the slot | newest taken: ready s before the slot")
for num in sorted(sealer):
    if blocks[num]["txs"] == 0 and num < min(b for _, _, b, _ in txs):
        continue
    slot = blocks[num]["timestamp"] - t0
    left = [slot - a for s, a, b, e in txs if b > num and a < slot]
    took = [slot - a for s, a, b, e in txs if b == num]
    n_, turn = sealer[num]
    newest = min(took) if took else nan
    print(f"{num:5d} {n_[-1]:>6} {'in ' if turn else 'out'} {blocks[num]['txs']:6d} | {len(left):6d} {sum(1 for x in left if x > 0.5):6d} {sum(1 for x in left if x > 1):6d} | {newest:6.2f}")
# Per sealer: the median of each block's newest transaction's lead (how long
# before the slot it had been answered: the time a transaction needed to be in
# that sealer's block), and what its blocks left that had been answered more
# than 0.5 s before their slot.
lead, left5 = {}, {}
for num in sorted(sealer):
    slot = blocks[num]["timestamp"] - t0
    took = [slot - a for s, a, b, e in txs if b == num]
    if not took:
        continue
    n_ = sealer[num][0]
    lead.setdefault(n_, []).append(min(took))
    left5[n_] = left5.get(n_, 0) + sum(1 for s, a, b, e in txs if b > num and slot - a > 0.5)
for n_ in sorted(lead):
    d = sorted(lead[n_])
    print(f"{n_}: {len(d)} blocks with transactions, newest taken ready p50 {d[len(d) // 2]:.2f} s before the slot (max {d[-1]:.2f}); left behind ready >0.5 s before: {left5[n_]} ({left5[n_] / len(d):.0f} a block)")
