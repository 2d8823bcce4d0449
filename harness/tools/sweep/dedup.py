"""Finding keys and the grouping of classified points into distinct
findings: kind + top 3 frames of the crash/end/leak stack (function names
when known, else OBJECT+0xOFF) + the failed allocation's first frame outside
libc.  A policy is keyed by its function alone."""
from . import points, suppress, symbols as sym

TOP = 3
# Under a persistent fault glibc cannot allocate an assertion's text, and the
# same assertion ends as a bare SIGABRT at the same frames: an abort and an
# assertion share their keys, and the finding is an assertion once any of its
# points said so.
KEY_KIND = {"abort": "abort-or-assertion", "assertion": "abort-or-assertion"}


def name_assertion(finding, earliest, other):
    """Once two outcomes of one key are joined into finding (the earliest
    point's fields already in it): an assertion if either said so, with the
    earliest assertion's text."""
    said = next((x["detail"] for x in (earliest, other) if x["kind"] == "assertion"), None)
    if said is not None:
        finding["kind"], finding["detail"] = "assertion", said


def finding_key(cls, symbols):
    """The dedup key of a classification (a string, stable across jobs,
    shards and machines for the same binaries)."""
    if cls["kind"] == "policy":
        return "policy|%s" % cls.get("function")
    top = [symbols.key_name(f) for f in cls["stack"][:TOP]]
    failed = symbols.key_name(cls["failed"]) if cls.get("failed") else "-"
    # A crash inside the allocating function's own failure path (jq's
    # jv_mem_alloc -> memory_exhausted) is one bug whoever called it: the
    # frames below that function are the allocation's callers, not the place.
    if failed in top[1:]:
        top = top[:top.index(failed, 1) + 1]
    return "%s|%s|%s" % (KEY_KIND.get(cls["kind"], cls["kind"]), ";".join(top), failed)


class Findings:
    """Accumulates classified points: bug findings and policies by key (each
    with its points, count and first point), handled outcomes by text."""

    def __init__(self, symbols, rules=()):
        self.symbols = symbols
        self.rules = list(rules)
        self.by_key = {}
        self.handled = {}      # outcome text -> {"count", "points", "first"}
        self.absorbed = 0

    def add(self, run, cls):
        """Counts one classified point."""
        return self._add_one(run, cls)

    def _add_one(self, run, cls):
        label = run["point"]
        if cls["kind"] in ("absorbed", "handled"):
            if cls["kind"] == "absorbed":
                self.absorbed += 1
                return None
            h = self.handled.setdefault(cls["detail"], {"outcome": cls["detail"], "count": 0,
                                                        "first": label})
            h["count"] += 1
            if points.point_sort_key(label) < points.point_sort_key(h["first"]):
                h["first"] = label
            return None
        key = finding_key(cls, self.symbols)
        f = self.by_key.get(key)
        if f is None:
            f = self.by_key[key] = self._new(key, cls, run)
        f["points"].append(label)
        before = {"kind": f["kind"], "detail": f["detail"]}
        if points.point_sort_key(label) < points.point_sort_key(f["first"]):
            self._set_first(f, cls, run)
            name_assertion(f, cls, before)
        else:
            name_assertion(f, before, cls)
        return key

    def _new(self, key, cls, run):
        f = {"key": key, "kind": cls["kind"], "points": []}
        self._set_first(f, cls, run)
        names = []
        for fr in cls["stack"] + ([cls["failed"]] if cls.get("failed") else []):
            names += self.symbols.names(fr) + [fr.split(" ")[0]]
        f["suppressed"] = suppress.match(self.rules, cls["kind"], names)
        return f

    def _set_first(self, f, cls, run):
        f["first"] = run["point"]
        f["detail"] = cls["detail"]
        f["stack"] = [self.symbols.where(x) for x in cls["stack"]]
        f["frames"] = list(cls["stack"])
        # The program's own place: the first frame outside the C library.
        own = next((x for x in cls["stack"] if not sym.is_libc(x)), None)
        f["where"] = self.symbols.where(own) if own else (f["stack"][0] if f["stack"] else None)
        if cls.get("message"):
            f["message"] = cls["message"]
        f["failed"] = self.symbols.where(cls["failed"]) if cls.get("failed") else None
        # An allocation the C library made for its own work (NSS, stdio) is
        # said to be libc's: the frame outside libc only called into it.
        fs = (run.get("fault") or {}).get("stack") or []
        f["failed_in_libc"] = self.symbols.where(fs[0]) if (
            fs and cls.get("failed") and sym.is_libc(fs[0])) else None
        f["at"] = (run.get("fault") or {}).get("at")
        f["spec"] = run.get("spec")
        f["run_dir"] = run.get("run_dir")
        if cls.get("leaks"):
            f["leaks"] = [{"size": b.get("size"), "reachable": bool(b.get("reachable")),
                           "after_fault": bool(b.get("after_fault")),
                           "stack": [self.symbols.where(x) for x in b.get("stack") or []]}
                          for b in cls["leaks"]]

    def add_baseline_leaks(self, baseline, leaks):
        """The baseline's unreachable blocks: one finding, 'leak without any
        fault', whatever the number of points that also show them."""
        if not leaks:
            return
        stack = leaks[0].get("stack") or []
        cls = {"kind": "baseline-leak", "stack": stack, "failed": None,
               "detail": "leak without any fault: %d block(s), %d bytes unreachable at exit"
               % (len(leaks), sum(b.get("size", 0) for b in leaks)), "leaks": leaks}
        key = finding_key(cls, self.symbols)
        f = self.by_key[key] = self._new(key, cls, baseline)
        f["points"].append(baseline["point"])

    def findings(self):
        """Distinct findings, bugs first, each in order of its first point."""
        out = list(self.by_key.values())
        for f in out:
            f["points"].sort(key=points.point_sort_key)
            f["count"] = len(f["points"])
        out.sort(key=lambda f: (f["kind"] == "policy", points.point_sort_key(f["first"])))
        return out
