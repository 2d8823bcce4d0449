"""sweep.json's model: built from the baseline and the classified points,
and merged from shards' models (the same function of the union of points:
findings by key, point counts summed, first point the least).

sweep.json (schema "memharness-sweep/1"), one object:
  schema, name, program (absolute), args [..], only [..], modes ["transient",
  "persistent", "site:D"], shard "I/N" (or "merged"), jobs, fork_server (bool),
  preload (seam path), stdin (file every run read, or null), timeout_s,
  baseline {outcome "exit 0", status, signal, stderr_first, counted,
            unreachable_leaks},
  points {total, transient, persistent, site} (points that hit a fault),
  counts {KIND: points} over hang crash assertion misuse policy abort leak
         handled absorbed,
  findings [{key, kind (hang|crash|assertion|misuse|abort|leak|baseline-leak|
             policy), bug (counts for exit 3: not policy, not suppressed),
             suppressed ("file:line" or null), detail, stack ["func (file:line)"],
             where (its first frame outside libc, "func (file:line)"),
             frames ["OBJECT+0xOFF[ FUNC+0xOFF]"], failed ("func (file:line)" of
             the failed allocation's first frame outside libc, or null),
             count, points ["transient:7", "site:D:I/N#n", "off"...], first,
             spec, at, reproducer, run_dir, message (misuse), function (policy),
             leaks [{size, reachable, after_fault, stack}] (leak kinds)}],
           bugs first, each kind ordered by first point,
  handled [{outcome "exit 1: first stderr line", count, first}], absorbed N,
  timings {wall_s, run_s (sum of the runs' own times), points_per_s},
  shards [{shard, points, wall_s}], capped (--max-points stopped it),
  errors [..] (points no job could run), diverged N (runs that hit no fault
  within the fault-free run's count: not swept, see notes), notes [..],
  exit 0|2|3."""
import shlex

from . import classify, dedup, points as pts

SCHEMA = "memharness-sweep/1"


def reproducer(m, finding):
    """The one-line command that replays a finding's first point alone."""
    spec = finding.get("spec") or "off"
    if spec.startswith("site:"):
        spec = "transient:%d" % finding["at"] if finding.get("at") else "off"
    env = ["MEMHARNESS_FAULTS=%s" % spec]
    if m["only"]:
        env.append("MEMHARNESS_ONLY=%s" % shlex.quote(",".join(m["only"])))
    env.append("LD_PRELOAD=%s" % shlex.quote(m["preload"]))
    cmd = " ".join(env + [shlex.quote(x) for x in [m["program"]] + m["args"]])
    if m.get("stdin"):
        cmd += " < %s" % shlex.quote(m["stdin"])
    return cmd


def build(meta, baseline, runs, classes, findings, wall_s, errors, notes, capped):
    """The model.  meta: name, program, args, only, modes, shard, jobs,
    fork_server, preload, stdin; classes: run point -> classification."""
    m = dict(meta)
    m["schema"] = SCHEMA
    m["baseline"] = {"outcome": classify.outcome_text(baseline),
                     "status": baseline.get("status"), "signal": baseline.get("signal"),
                     "stderr_first": baseline.get("stderr_first"),
                     "counted": (baseline.get("fault") or {}).get("counted")
                     if baseline.get("fault") else (baseline.get("stats") or {}).get("counted"),
                     "unreachable_leaks": len(classify.unreachable(baseline))}
    per_mode = {}
    for r in runs:
        kind = r["point"].split(":", 1)[0]
        per_mode[kind] = per_mode.get(kind, 0) + 1
    m["points"] = dict(per_mode, total=len(runs))
    counts = {}
    for c in classes.values():
        counts[c["kind"]] = counts.get(c["kind"], 0) + 1
    m["counts"] = counts
    fl = findings.findings()
    for f in fl:
        f["bug"] = f["kind"] in classify.BUG_KINDS and not f.get("suppressed")
        f["reproducer"] = reproducer(m, f)
    m["findings"] = fl
    m["handled"] = sorted(findings.handled.values(), key=lambda h: -h["count"])
    m["absorbed"] = findings.absorbed
    usec = sum(r.get("usec", 0) for r in runs)
    m["timings"] = {"wall_s": round(wall_s, 3), "run_s": round(usec / 1e6, 3),
                    "points_per_s": round(len(runs) / wall_s, 1) if wall_s > 0 else None}
    m["errors"], m["notes"], m["capped"] = list(errors), list(notes), capped
    m["shards"] = [{"shard": m["shard"], "points": len(runs), "wall_s": round(wall_s, 3)}]
    m["exit"] = exit_status(m)
    return m


def exit_status(m):
    """3 when a finding is a bug (not suppressed, not a policy); else 2 when
    points could not be run or runs diverged from the fault-free run (the
    sweep is incomplete: no pass); else 0."""
    if any(f["bug"] for f in m["findings"]):
        return 3
    return 2 if m.get("errors") or m.get("diverged") else 0


SAME = ("program", "args", "only", "modes")


def merge(models, sources):
    """One model from shard models of the same sweep; ValueError naming the
    shard that differs."""
    if not models:
        raise ValueError("no shard models to merge")
    base = models[0]
    for mm, src in zip(models[1:], sources[1:]):
        for k in SAME:
            if mm.get(k) != base.get(k):
                raise ValueError("%s: its %s (%r) differ from %s's (%r)"
                                 % (src, k, mm.get(k), sources[0], base.get(k)))
    m = {k: base[k] for k in base if k not in ("findings", "handled", "points", "counts",
                                                "timings", "errors", "notes", "shards")}
    m["points"], m["counts"] = {}, {}
    for mm in models:
        for part in ("points", "counts"):
            for k, v in mm[part].items():
                m[part][k] = m[part].get(k, 0) + v
    by_key = {}
    for mm in models:
        for f in mm["findings"]:
            g = by_key.get(f["key"])
            if g is None:
                by_key[f["key"]] = dict(f, points=list(f["points"]))
                continue
            pts_ = set(g["points"]) | set(f["points"])
            before = {"kind": g["kind"], "detail": g["detail"]}
            if pts.point_sort_key(f["first"]) < pts.point_sort_key(g["first"]):
                g.update({k: v for k, v in f.items() if k != "points"})
                dedup.name_assertion(g, f, before)
            else:
                dedup.name_assertion(g, before, f)
            g["points"] = sorted(pts_, key=pts.point_sort_key)
            g["count"] = len(g["points"])
    m["findings"] = sorted(by_key.values(),
                           key=lambda f: (f["kind"] == "policy", pts.point_sort_key(f["first"])))
    handled = {}
    for mm in models:
        for h in mm["handled"]:
            g = handled.setdefault(h["outcome"], dict(h, count=0))
            g["count"] += h["count"]
            if pts.point_sort_key(h["first"]) < pts.point_sort_key(g["first"]):
                g["first"] = h["first"]
    m["handled"] = sorted(handled.values(), key=lambda h: -h["count"])
    m["absorbed"] = sum(mm.get("absorbed", 0) for mm in models)
    m["shards"] = [s for mm in models for s in mm.get("shards", [])]
    wall = max((s["wall_s"] for s in m["shards"]), default=0)
    m["timings"] = {"wall_s": wall, "run_s": round(sum(mm["timings"]["run_s"] for mm in models), 3),
                    "points_per_s": round(m["points"].get("total", 0) / wall, 1) if wall else None}
    m["errors"] = [e for mm in models for e in mm.get("errors", [])]
    m["notes"] = []
    for mm in models:
        m["notes"] += [n for n in mm.get("notes", []) if n not in m["notes"]]
    m["capped"] = any(mm.get("capped") for mm in models)
    m["diverged"] = sum(mm.get("diverged", 0) for mm in models)
    m["shard"] = "merged"
    ns = {s["shard"].split("/")[1] for s in m["shards"] if "/" in s["shard"]}
    seen = {s["shard"] for s in m["shards"]}
    if len(ns) == 1:
        n = int(ns.pop())
        missing = ["%d/%d" % (i, n) for i in range(1, n + 1) if "%d/%d" % (i, n) not in seen]
        if missing:
            m["notes"].append("shards missing from the merge: %s (their points are not "
                              "swept)" % ", ".join(missing))
    elif len(ns) > 1:
        m["notes"].append("shards of different counts merged: %s" % ", ".join(sorted(seen)))
    m["exit"] = exit_status(m)
    return m
