#!/usr/bin/env python3
"""Keeps suppressions/ honest.

  suppressions_audit.py lint [--source-root DIR] [--expect-reject] FILE...
      Fails when an entry could hide a bug of ours: it names a function,
      source file or binary of lib/ or the harness, or it has no concrete
      third-party frame to anchor it.  Every entry must follow a '#' comment
      saying why it exists.  --expect-reject inverts the verdict: every entry
      of the files must be rejected (the planted canary files).
  suppressions_audit.py unused --logs DIR [--logs DIR]... FILE...
      Lists the entries that no run used, read from Valgrind's -v logs
      ('used_suppression:') and LeakSanitizer's 'Suppressions used:' tables
      found under the report directories.

File format: a file holding '{' is a Valgrind suppression file; any other is
a sanitizer file of 'kind:pattern' lines (LSan, UBSan)."""
import argparse
import fnmatch
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import valgrind, verdict  # noqa: E402

# Prefixes of the harness's function families: a pattern matching any name
# that starts with one of these could hide a harness bug.
HARNESS_PREFIXES = ["tracker_", "fault_", "sweep_", "check_", "shape_", "nap_", "mock_",
                    "callsite_", "crash_guard_", "fuzz_", "zoo_", "bench_", "canary_"]
# Allocator entry points are everybody's frames: they anchor nothing.
GENERIC_FUNCS = {"malloc", "calloc", "realloc", "free", "memalign", "posix_memalign",
                 "aligned_alloc", "strdup", "_Znwm", "_Znam", "_ZdlPv", "_ZdaPv"}
C_DEF = re.compile(r"^(?!#|typedef|struct|enum|union|static_assert)[A-Za-z_][\w \t\*]*?"
                   r"\b([A-Za-z_]\w*)\s*\(")


def our_identity(root):
    """Names, source files and binaries that belong to this project."""
    funcs, sources, objects = set(), set(), {"libnaputil.so", "libnaputil.a"}
    for top in ("lib", "harness", "fuzz"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if not name.endswith((".c", ".h")):
                    continue
                sources.add(name)
                if name.endswith(".c") and (name.startswith("test_") or
                                            top == "fuzz" or "canaries" in dirpath):
                    objects.add(name[:-2])
                with open(os.path.join(dirpath, name), encoding="utf-8",
                          errors="replace") as f:
                    for line in f:
                        m = C_DEF.match(line)
                        if m:
                            funcs.add(m.group(1))
    # The LD_PRELOAD seam defines malloc & co. under their own names; a
    # suppression's fun:malloc still names the allocator frame every tool
    # puts on top (and the seam is never loaded under a tool).
    funcs -= GENERIC_FUNCS
    funcs |= {"CoTaskMemAlloc", "CoTaskMemRealloc", "CoTaskMemFree"}
    funcs |= {p + "x" for p in HARNESS_PREFIXES}
    return funcs, sources, objects


def glob_hits_ours(pattern, ident):
    """The project names a suppression pattern would match, if any."""
    funcs, sources, objects = ident
    hits = [n for n in sorted(funcs) if fnmatch.fnmatchcase(n, pattern)]
    hits += [s for s in sorted(sources) if fnmatch.fnmatchcase(s, pattern)
             or fnmatch.fnmatchcase("/src/" + s, pattern)]
    for o in sorted(objects):
        for sample in (o, "/build/x/" + o, "/build/x/" + o + ".0.1.0"):
            if fnmatch.fnmatchcase(sample, pattern):
                hits.append(o)
                break
    return hits


def parse_valgrind(path):
    """Entries of a Valgrind file: (name, frames, had_comment, line)."""
    entries, comment, cur = [], False, None
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            line = raw.strip()
            if cur is None:
                if line.startswith("#"):
                    comment = True
                elif line == "{":
                    cur = {"lines": [], "comment": comment, "line": no}
                elif line:
                    comment = False
                continue
            if line == "}":
                body = cur["lines"]
                name = body[0] if body else "?"
                frames = [l for l in body[2:] if not l.startswith("match-leak-kinds")]
                entries.append((name, frames, cur["comment"], cur["line"]))
                cur, comment = None, False
            elif line and not line.startswith("#"):
                cur["lines"].append(line)
    return entries


def parse_sanitizer(path):
    """Entries of a sanitizer file: ('kind:pattern', [pattern], had_comment, line)."""
    entries, comment = [], False
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            line = raw.strip()
            if line.startswith("#"):
                comment = True
            elif line:
                kind, _, pattern = line.partition(":")
                entries.append((line, ["san:" + pattern], comment, no))
                comment = False
    return entries


def is_valgrind_file(path):
    with open(path, encoding="utf-8") as f:
        return any(l.strip() == "{" for l in f)


def entry_problems(frames, ident):
    """Why an entry could hide one of our bugs; empty when it cannot."""
    problems, anchored = [], False
    for frame in frames:
        if frame == "...":
            continue
        kind, _, pattern = frame.partition(":")
        if kind not in ("fun", "obj", "src", "san"):
            problems.append("unknown frame line '%s'" % frame)
            continue
        if pattern.strip("*") == "":
            if kind == "san":
                problems.append("'%s' matches everything" % pattern)
            continue
        hits = glob_hits_ours(pattern, ident)
        if hits:
            problems.append("%s:%s names our %s" % (kind if kind != "san" else "pattern",
                                                     pattern, ", ".join(hits[:4])))
        elif not (kind == "fun" and pattern in GENERIC_FUNCS):
            anchored = True
    if not anchored and not problems:
        problems.append("no third-party frame anchors it: it would match our code too")
    return problems


def lint(args):
    ident = our_identity(args.source_root)
    total = rejected = 0
    uncommented = []
    for path in args.files:
        entries = parse_valgrind(path) if is_valgrind_file(path) else parse_sanitizer(path)
        for name, frames, commented, line in entries:
            total += 1
            problems = entry_problems(frames, ident)
            if not commented:
                uncommented.append("%s:%d: %s" % (path, line, name))
            if problems:
                rejected += 1
                print("%s:%d: %s: %s" % (path, line, name, "; ".join(problems)))
    for u in uncommented:
        print("%s: no '#' comment saying why this entry exists" % u)
    if args.expect_reject:
        if total and rejected == total:
            lint_verdict("suppressions-lint: tool works: rejected all %d planted entries"
                         % total)
            return 0
        lint_verdict("suppressions-lint: BLIND: rejected %d of %d planted entries"
                     % (rejected, total))
        return 1
    if rejected or uncommented:
        lint_verdict("suppressions-lint: %d entr%s could hide our bugs, %d without a "
                     "reason" % (rejected, "y" if rejected == 1 else "ies", len(uncommented)))
        return 1
    print("suppressions lint: %d entries, all third-party and explained" % total)
    return 0


def lint_verdict(text):
    """The lint's verdict, as the tool wrappers give theirs: a TOOL-REPORT
    line, and a line in the run's verdict.jsonl when it runs under one."""
    run_dir = os.environ.get("NAPUTIL_REPORT_DIR")
    if run_dir and os.path.isfile(os.path.join(run_dir, "argv")):
        verdict.emit(run_dir, "suppressions-lint", text)
    else:
        print("TOOL-REPORT: " + text)


def used_in_logs(dirs):
    """Valgrind suppression names (its XML reports' suppcounts) and LSan
    templates (its log files' "Suppressions used:" table) some run used."""
    used = set()
    for d in dirs:
        for dirpath, _, names in os.walk(d):
            _, vg_used, _ = valgrind.read_dir(dirpath)
            used |= set(vg_used)
            for name in names:
                if not name.startswith("san."):
                    continue
                with open(os.path.join(dirpath, name), encoding="utf-8",
                          errors="replace") as f:
                    table = False
                    for line in f:
                        if line.startswith("Suppressions used:"):
                            table = True
                        elif table:
                            parts = line.split()
                            if len(parts) == 3 and parts[0].isdigit():
                                used.add(parts[2])
                            elif parts and parts[0] != "count":
                                table = False
    return used


def unused(args):
    used = used_in_logs(args.logs)
    count = 0
    for path in args.files:
        valgrind = is_valgrind_file(path)
        entries = parse_valgrind(path) if valgrind else parse_sanitizer(path)
        if not valgrind and os.path.basename(path).startswith("ubsan"):
            if entries:
                print("%s: UBSan does not report which suppressions it used; check "
                      "these %d by hand" % (path, len(entries)))
            continue
        for name, _, _, line in entries:
            count += 1
            if name not in used:
                print("%s:%d: %s: no run used it" % (path, line, name))
    print("suppressions audit: %d entries, %d used in %s" % (count, len(used),
                                                             ", ".join(args.logs)))
    return 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    pl = sub.add_parser("lint")
    pl.add_argument("--source-root", default=os.path.normpath(os.path.join(here, "../..")))
    pl.add_argument("--expect-reject", action="store_true")
    pl.add_argument("files", nargs="+")
    pu = sub.add_parser("unused")
    pu.add_argument("--logs", action="append", required=True)
    pu.add_argument("files", nargs="+")
    args = p.parse_args()
    return lint(args) if args.cmd == "lint" else unused(args)


if __name__ == "__main__":
    sys.exit(main())
