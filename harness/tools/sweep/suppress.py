"""The --suppressions file: one rule a line, KIND:PATTERN, where KIND is a
finding kind (leak, crash, hang, assertion, misuse, abort, baseline-leak) or
*, and PATTERN an fnmatch pattern matched against each frame of the
finding's stack and its failed allocation (function names, as symbolised,
and OBJECT+0xOFF).  '#' starts a comment.  Example: leak:*_cache_init"""
import fnmatch

from .points import UsageError

KINDS = ("leak", "crash", "hang", "assertion", "misuse", "abort", "baseline-leak", "*")


def load(path):
    """[(kind, pattern, "path:line")] from the file; UsageError naming the
    line when one is malformed."""
    rules = []
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        raise UsageError("--suppressions %s: %s" % (path, e.strerror))
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        kind, sep, pat = line.partition(":")
        if not sep or kind not in KINDS or not pat:
            raise UsageError("--suppressions %s:%d: %r is not KIND:PATTERN with KIND one of %s"
                             % (path, n, line, ", ".join(KINDS)))
        rules.append((kind, pat, "%s:%d" % (path, n)))
    return rules


def match(rules, kind, names):
    """The "path:line" of the first rule suppressing a finding of this kind
    whose frames are named names, or None."""
    for k, pat, where in rules:
        if k in ("*", kind) and any(fnmatch.fnmatchcase(n, pat) for n in names if n):
            return where
    return None
