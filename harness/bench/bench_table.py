#!/usr/bin/env python3
"""Turns the figure lines of one make bench run ("BENCH {json}", from the
benchmark programs and bench.sh) into the table printed at the end of make
bench and build/reports/bench.json: each figure beside its limit, with PASS
or FAIL (a figure over its limit is never hidden).  It reports, it does not
judge: the exit status is 0 whenever the figures could be read.

Usage: bench_table.py FIGURES.jsonl OUT.json"""
import json
import os
import platform
import statistics
import sys
import time

# The limits of issue 7, in one place.
PAIR_RATIO_MAX = 1.5        # tracked pair / default pair
SWEEP_SECONDS_MAX = 2.0     # full transient + persistent sweep
FUZZ_FRACTION_MIN = 0.5     # connections exec/s / empty target exec/s
FUZZ_TRACKED_MIN = 0.7      # connections exec/s / same target over malloc
CHECK_SECONDS_MAX = 600.0   # all make check configurations together
BLACKBOX_RATIO_MIN = 10.0   # sweep points/s / exec-per-point loop points/s (issue 21)


def read_figures(path):
    figures = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("BENCH "):
                figures.append(json.loads(line[len("BENCH "):]))
    return figures


def median_of(figures, key, **match):
    """Median of key over the figures (one per round) matching every field."""
    values = [f[key] for f in figures
              if all(f.get(k) == v for k, v in match.items()) and f.get(key) is not None]
    return statistics.median(values) if values else None


def verdict(ok):
    return "PASS" if ok else "FAIL"


def min_of(figures, key, **match):
    """Smallest value of key over the figures matching every field."""
    values = [f[key] for f in figures
              if all(f.get(k) == v for k, v in match.items()) and f.get(key) is not None]
    return min(values) if values else None


def item_cpu(figures):
    """Where the timed runs ran: a ratio is only a ratio when both of its
    sides ran on the same CPU, and the CPUs of a virtual machine can differ."""
    pins = [f for f in figures if f["item"] == "cpu"]
    measured = ("; ".join("%s on CPU %d" % (f["when"], f["pinned"]) for f in pins)
                if pins else "not pinned: taskset missing or no CPU calibrated")
    return [{"item": "0", "what": "both sides of each ratio on one CPU (the fastest at the time)",
             "measured": measured, "limit": "(reported)", "verdict": "-",
             "values": {"pins": pins}}]


def item_pairs(figures):
    """The ratio is taken from the fastest short repetitions (the machine is
    shared: preemption only ever adds time); the medians are shown beside."""
    rows = []
    for size in sorted({f["size"] for f in figures if f["item"] == "alloc_pair"}):
        d = min_of(figures, "ns_min", item="alloc_pair", seam="default", size=size)
        t = min_of(figures, "ns_min", item="alloc_pair", seam="tracked", size=size)
        dm = median_of(figures, "ns_per_pair", item="alloc_pair", seam="default", size=size)
        tm = median_of(figures, "ns_per_pair", item="alloc_pair", seam="tracked", size=size)
        ratio = t / d if d and t else None
        rows.append({
            "item": "1", "what": "alloc+free pair, %d B (fastest run)" % size,
            "measured": "default %.1f ns, tracked %.1f ns: %.2fx (medians %.1f, %.1f ns)"
            % (d, t, ratio, dm or 0, tm or 0) if ratio else "not measured",
            "limit": "tracked <= %.1fx default" % PAIR_RATIO_MAX,
            "verdict": verdict(ratio <= PAIR_RATIO_MAX) if ratio else "SKIPPED",
            "values": {"size": size, "default_ns": d, "tracked_ns": t, "ratio": ratio,
                       "default_median_ns": dm, "tracked_median_ns": tm},
        })
    return rows


# The fast path's variants (bench_fast.c): each check left out alone, and
# every one of them.
CHECKS = ("poison", "guards", "quarantine", "stacks")


def item_features(figures):
    """Each check's share of a tracked 16 B pair on the fast path, the pair
    with every check built in minus the pair with that one left out (a
    variant of tracker_fast.c: the fast path runs only with every check on, so a
    check cannot be switched off at run time without leaving it), in time
    and in instructions; the injector's share, armed minus disarmed; and the
    pair with a second thread, idle and allocating."""
    rows = []
    allc = min_of(figures, "ns_min", item="fast_variant", variant="all", size=16)
    malloc_ns = min_of(figures, "ns_min", item="feature", config="malloc+free")
    armed = min_of(figures, "ns_min", item="feature", config="all checks")
    if allc is not None:
        for name in CHECKS + ("none",):
            parts, values = [], {"check": name}
            for size in (16, 160):
                whole = min_of(figures, "ns_min", item="fast_variant", variant="all", size=size)
                without = min_of(figures, "ns_min", item="fast_variant", variant=name, size=size)
                if whole is None or without is None:
                    continue
                parts.append("%d B: %.1f ns of %.1f (%.0f%%)"
                             % (size, whole - without, whole, 100 * (whole - without) / whole))
                values["ns_%d" % size] = whole - without
                values["all_ns_%d" % size] = whole
            if parts:
                rows.append({
                    "item": "1b",
                    "what": ("pair, share of the %s (fast path)" % name if name != "none"
                             else "pair, share of the four checks together (fast path)"),
                    "measured": "; ".join(parts), "limit": "(reported)", "verdict": "-",
                    "values": values,
                })
        base = min_of(figures, "ns_min", item="fast_variant", variant="none", size=16)
        if base is not None and malloc_ns:
            rows.append({
                "item": "1b",
                "what": "16 B pair, no check: header, arena, list, owner, injector, calls",
                "measured": "%.1f ns vs malloc+free %.1f ns: %.2fx"
                % (base, malloc_ns, base / malloc_ns),
                "limit": "(reported)", "verdict": "-",
                "values": {"base_ns": base, "malloc_ns": malloc_ns},
            })
    disarmed = min_of(figures, "ns_min", item="feature", config="without injector")
    if armed is not None and disarmed is not None:
        rows.append({
            "item": "1b", "what": "16 B pair, share of the injector (armed vs disarmed)",
            "measured": "%.1f ns of %.1f (%.0f%%)" % (armed - disarmed, armed,
                                                    100 * (armed - disarmed) / armed),
            "limit": "(reported)", "verdict": "-",
            "values": {"check": "injector", "ns": armed - disarmed, "all_ns": armed},
        })
    if armed is not None and malloc_ns:
        # Bare malloc+free has no CoTaskMem* call around it, which both sides
        # of item 1's ratio have: a figure to read, not the limit's yardstick.
        rows.append({
            "item": "1b",
            "what": "16 B pair, every check, vs bare malloc+free (same program, no seam)",
            "measured": "%.1f ns vs %.1f ns: %.2fx" % (armed, malloc_ns, armed / malloc_ns),
            "limit": "(reported; item 1 has the limit)", "verdict": "-",
            "values": {"all_ns": armed, "malloc_ns": malloc_ns, "ratio": armed / malloc_ns},
        })
    for config, what in (("all checks, a second thread idle",
                          "16 B pair, a second thread alive but idle"),
                         ("all checks, after a second thread allocated",
                          "16 B pair, after a second thread allocated")):
        ns = min_of(figures, "ns_min", item="feature", config=config)
        path = next((f.get("path") for f in figures
                     if f["item"] == "feature" and f.get("config") == config), None)
        if ns is not None and armed is not None:
            rows.append({
                "item": "1b", "what": "%s (%s path)" % (what, path or "?"),
                "measured": "%.1f ns (%+.1f ns)" % (ns, ns - armed),
                "limit": "(reported)", "verdict": "-",
                "values": {"config": config, "ns": ns, "all_ns": armed},
            })
    ins = [f for f in figures if f["item"] == "instructions"]
    skipped = next((f for f in ins if "skipped" in f), None)
    d = next((f["ir_per_pair"] for f in ins if f.get("seam") == "default"), None)
    t = next((f["ir_per_pair"] for f in ins if f.get("variant") == "all"), None)
    if skipped is not None or d is None or t is None:
        rows.append({"item": "1c", "what": "instructions per pair (Callgrind)",
                     "measured": "skipped: " + (skipped["skipped"] if skipped else "no figures"),
                     "limit": "tracked <= %.1fx default" % PAIR_RATIO_MAX,
                     "verdict": "SKIPPED", "values": {}})
        return rows
    parts = []
    for name in CHECKS:
        w = next((f["ir_per_pair"] for f in ins if f.get("variant") == name), None)
        if w is not None:
            parts.append("%s %d" % (name, t - w))
    base = next((f["ir_per_pair"] for f in ins if f.get("variant") == "none"), None)
    rows.append({
        "item": "1c", "what": "instructions per 16 B pair (Callgrind)",
        "measured": "default %d, tracked %d: %.2fx; checks: %s; the rest %s"
        % (d, t, t / d, ", ".join(parts), base),
        "limit": "tracked <= %.1fx default" % PAIR_RATIO_MAX,
        "verdict": verdict(t / d <= PAIR_RATIO_MAX),
        "values": {"default_ir": d, "tracked_ir": t, "ratio": t / d, "base_ir": base},
    })
    return rows


def item_nofp(figures):
    """Item 1d: the tracked pair with its site in a library without frame
    pointers (unwound from .eh_frame), beside item 1c's fast path."""
    f = next((f for f in figures if f["item"] == "instructions_nofp"), None)
    if f is None or "skipped" in f:
        return [{"item": "1d", "what": "instructions per pair, site without frame pointers",
                 "measured": "skipped: " + (f["skipped"] if f else "no figures"),
                 "limit": "(reported)", "verdict": "SKIPPED", "values": {}}]
    # Item 1c's Callgrind figure of the whole fast path, not a timing row of
    # the same variant.
    t = next((g["ir_per_pair"] for g in figures
              if g["item"] == "instructions" and g.get("variant") == "all"), None)
    return [{"item": "1d", "what": "instructions per pair, site without frame pointers (Callgrind)",
             "measured": "%d (unwound from .eh_frame)%s" % (
                 f["ir_per_pair"], ", %.0fx the fast path's %d" % (f["ir_per_pair"] / t, t) if t else ""),
             "limit": "(reported)", "verdict": "-",
             "values": {"ir_per_pair": f["ir_per_pair"], "fast_ir": t}}]


def item_connections(figures):
    rows = []
    for count in sorted({f["count"] for f in figures if f["item"] == "connections"}):
        p = median_of(figures, "ops_per_s", item="connections", seam="default", count=count)
        t = median_of(figures, "ops_per_s", item="connections", seam="tracked", count=count)
        rows.append({
            "item": "2", "what": "AllocConnections+FreeConnections, count %d" % count,
            "measured": "plain %.2f M/s, tracked %.2f M/s: %.1fx slower"
            % (p / 1e6, t / 1e6, p / t) if p and t else "not measured",
            "limit": "(none: reported)", "verdict": "-",
            "values": {"count": count, "plain_ops_per_s": p, "tracked_ops_per_s": t,
                       "slowdown": p / t if p and t else None},
        })
    return rows


def item_sweep(figures):
    s = next((f for f in figures if f["item"] == "sweep"), None)
    if s is None:
        return [{"item": "3", "what": "full sweep", "measured": "not measured",
                 "limit": "< %.0f s" % SWEEP_SECONDS_MAX, "verdict": "SKIPPED", "values": {}}]
    note = "" if s["violations"] == 0 else ", %d violation(s) found" % s["violations"]
    return [{
        "item": "3", "what": "full sweep (transient+persistent, %d scenarios)" % s["scenarios"],
        "measured": "%.4f s, %d fault points, %.0f points/s%s"
        % (s["seconds"], s["points"], s["points_per_s"], note),
        "limit": "< %.0f s" % SWEEP_SECONDS_MAX,
        "verdict": verdict(s["seconds"] < SWEEP_SECONDS_MAX),
        "values": {k: s[k] for k in ("seconds", "points", "runs", "points_per_s", "violations")},
    }]


def item_fuzz(figures):
    runs = [f for f in figures if f["item"] == "fuzz"]
    rows = [{"item": "4", "what": "libFuzzer exec/s", "measured": "skipped: " + f["skipped"],
             "limit": ">= %d%% of empty target" % (FUZZ_FRACTION_MIN * 100),
             "verdict": "SKIPPED", "values": {}} for f in runs if "skipped" in f]
    for build in sorted({f["build"] for f in runs if "build" in f}):
        by = {f["target"]: f for f in runs if f.get("build") == build}
        label = "ASan+UBSan" if build == "asan" else "no sanitizers"
        conn = by.get("connections")
        for other, limit, what in (
                ("untracked", FUZZ_TRACKED_MIN, "tracked vs over malloc, tracker checks off"),
                ("empty", FUZZ_FRACTION_MIN, "vs an empty target")):
            yard = by.get(other)
            c = conn and conn["execs_per_s"]
            y = yard and yard["execs_per_s"]
            fraction = c / y if c and y else None
            problems = ["%s exited %d" % (f["target"], f["exit"])
                        for f in (conn, yard) if f and f["exit"] != 0]
            rows.append({
                "item": "4", "what": "libFuzzer connections, %s, %s" % (label, what),
                "measured": ("%d exec/s vs %d exec/s: %.0f%% (%d and %d inputs)"
                             % (c, y, fraction * 100, conn["runs"], yard["runs"])
                             if fraction else "not measured")
                + ("" if not problems else " (" + ", ".join(problems) + ")"),
                "limit": ">= %d%%" % round(limit * 100),
                "verdict": verdict(fraction >= limit) if fraction else "SKIPPED",
                "values": {"build": build, "yardstick": other, "connections_execs_per_s": c,
                           "yardstick_execs_per_s": y, "fraction": fraction},
            })
    return rows


def item_check(figures):
    checks = [f for f in figures if f["item"] == "check"]
    skipped = next((f for f in checks if "skipped" in f), None)
    if skipped is not None or not checks:
        why = skipped["skipped"] if skipped else "no configuration timed"
        return [{"item": "5", "what": "make check wall time", "measured": "skipped: " + why,
                 "limit": "< %d min on 2 cores" % (CHECK_SECONDS_MAX / 60),
                 "verdict": "SKIPPED", "values": {}}]
    rows = [{"item": "5", "what": "make check-%s (cold build)" % f["config"],
             "measured": "%.0f s%s" % (f["seconds"],
                                       "" if f["exit"] == 0 else ", exit %d" % f["exit"]),
             "limit": "(part of the total)", "verdict": "-",
             "values": {"config": f["config"], "seconds": f["seconds"], "exit": f["exit"]}}
            for f in checks]
    total = sum(f["seconds"] for f in checks)
    rows.append({"item": "5", "what": "make check, all %d configuration(s)" % len(checks),
                 "measured": "%.0f s (%.1f min)" % (total, total / 60),
                 "limit": "< %d min on 2 cores" % (CHECK_SECONDS_MAX / 60),
                 "verdict": verdict(total < CHECK_SECONDS_MAX),
                 "values": {"seconds": total, "configs": [f["config"] for f in checks]}})
    return rows


# Time to verdict of one outside implementation under ASan, built (issue:
# 7-20 s in late November, 70-155 s once it ran the harness's own suites).
IMPL_VERDICT_SECONDS_MAX = 30


def item_impl_verdict(figures):
    runs = [f for f in figures if f["item"] == "impl_verdict"]
    rows = []
    for f in runs:
        built = f["run"] == "built"
        ok = f["exit"] == 0
        rows.append({"item": "6", "what": "make check-asan NAPUTIL_IMPL=lib copy (%s)"
                     % ("build in place" if built else "new build directory"),
                     "measured": "%.0f s%s" % (f["seconds"], "" if ok else ", exit %d" % f["exit"]),
                     "limit": "<= %d s" % IMPL_VERDICT_SECONDS_MAX if built else "(figure)",
                     "verdict": (verdict(ok and f["seconds"] <= IMPL_VERDICT_SECONDS_MAX)
                                 if built else ("-" if ok else "FAIL")),
                     "values": {"run": f["run"], "seconds": f["seconds"], "exit": f["exit"]}})
    return rows


def item_blackbox(figures):
    """Item 7: fault points per second of a black-box sweep (fork server)
    against one exec per point, same program, input and points."""
    b = next((f for f in figures if f["item"] == "blackbox"), None)
    what = "black-box sweep points/s, fork server vs exec per point"
    limit = "sweep >= %.0fx the loop" % BLACKBOX_RATIO_MIN
    if b is None or "skipped" in b:
        return [{"item": "7", "what": what,
                 "measured": "skipped: " + (b["skipped"] if b else "no figures"),
                 "limit": limit, "verdict": "SKIPPED", "values": {}}]
    sweep = b["points"] / b["sweep_seconds"] if b["sweep_seconds"] > 0 else None
    naive = b["points"] / b["naive_seconds"] if b["naive_seconds"] > 0 else None
    ratio = sweep / naive if sweep and naive else None
    # The same by CPU time: what a loaded machine's waits for a CPU leave out.
    sc, nc = b.get("sweep_cpu_seconds"), b.get("naive_cpu_seconds")
    cpu_ratio = nc / sc if sc and nc else None
    # The machine's floor, per point: a bare fork (no fork server's point
    # costs less) and a bare fork+exec of /bin/true (the loop's least).
    fork, exe = b.get("fork_seconds"), b.get("exec_seconds")
    floor = ("; this machine: a bare fork %.2f ms, a bare fork+exec of /bin/true %.2f ms"
             % (1e3 * fork / b["points"], 1e3 * exe / b["points"]) if fork and exe else "")
    return [{"item": "7", "what": "%s: %s" % (what, b["program"]),
             "measured": "%d points: sweep %.0f/s (%.2f s, exit %d), loop %.0f/s (%.2f s): %.1fx%s%s"
             % (b["points"], sweep or 0, b["sweep_seconds"], b["sweep_exit"], naive or 0,
                b["naive_seconds"], ratio or 0,
                "; by CPU time %.2f s vs %.2f s: %.1fx" % (sc, nc, cpu_ratio) if cpu_ratio else "",
                floor),
             "limit": limit,
             "verdict": verdict(ratio >= BLACKBOX_RATIO_MIN) if ratio else "SKIPPED",
             "values": {"program": b["program"], "points": b["points"],
                        "sweep_points_per_s": sweep, "naive_points_per_s": naive,
                        "ratio": ratio, "sweep_cpu_s": sc, "naive_cpu_s": nc,
                        "cpu_ratio": cpu_ratio, "fork_s": fork, "exec_s": exe}}]


def print_table(rows):
    headers = ("#", "benchmark", "measured", "limit", "verdict")
    cells = [(r["item"], r["what"], r["measured"], r["limit"], r["verdict"]) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = "  ".join("%-*s" % (w, h) for w, h in zip(widths, headers))
    print(line)
    print("-" * len(line))
    for c in cells:
        print("  ".join("%-*s" % (w, v) for w, v in zip(widths, c)))


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    figures = read_figures(argv[1])
    rows = (item_cpu(figures) + item_pairs(figures) + item_features(figures) + item_nofp(figures) + item_connections(figures) + item_sweep(figures)
            + item_fuzz(figures) + item_check(figures) + item_impl_verdict(figures)
            + item_blackbox(figures))
    print_table(rows)
    counts = {v: sum(1 for r in rows if r["verdict"] == v) for v in ("PASS", "FAIL", "SKIPPED")}
    print("bench: %(PASS)d PASS, %(FAIL)d FAIL, %(SKIPPED)d skipped" % counts)
    report = {
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                    "processor": platform.processor()},
        "limits": {"pair_ratio_max": PAIR_RATIO_MAX, "sweep_seconds_max": SWEEP_SECONDS_MAX,
                   "fuzz_fraction_min": FUZZ_FRACTION_MIN,
                   "fuzz_tracked_min": FUZZ_TRACKED_MIN,
                   "check_seconds_max": CHECK_SECONDS_MAX,
                   "impl_verdict_seconds_max": IMPL_VERDICT_SECONDS_MAX,
                   "blackbox_ratio_min": BLACKBOX_RATIO_MIN},
        "summary": counts,
        "rows": rows,
        "figures": figures,
    }
    os.makedirs(os.path.dirname(os.path.abspath(argv[2])), exist_ok=True)
    with open(argv[2], "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    print("bench: wrote %s" % argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
