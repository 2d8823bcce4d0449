"""The classification of one run (SPEC section 4), first matching rule wins:
hang, crash, assertion, misuse, policy, abort, leak, handled.  Each rule is
a function of (run, context) returning a classification dict or None, so
each can be tested alone on the input it must refuse.

A classification: {"kind", "detail", "stack" (frames the finding is keyed
and shown by), "failed" (the failed allocation's first frame outside libc,
or None), "leaks" (new unreachable blocks, leak only)}."""
import os
import re
import signal

from . import record, symbols as sym

KINDS = ("hang", "crash", "assertion", "misuse", "policy", "abort", "leak",
         "handled", "absorbed")
# Kinds that are bugs: a sweep with one of these exits 3.
BUG_KINDS = ("hang", "crash", "assertion", "misuse", "abort", "leak", "baseline-leak")


class Context:
    """What rules need besides the run: the symboliser and the baseline's
    status, first stderr line and unreachable leak keys."""

    def __init__(self, baseline, symbols):
        self.symbols = symbols
        self.baseline = baseline
        self.baseline_leak_keys = {self.leak_key(b) for b in unreachable(baseline)}

    def leak_key(self, leak):
        """A leaked block's allocation stack key: its top 3 frames."""
        return tuple(self.symbols.key_name(f) for f in (leak.get("stack") or [])[:3])


def loader_block(block):
    """True for a block the dynamic loader allocated itself (a thread's TLS,
    dlopen's bookkeeping): it is reached from memory no scan of the
    writable segments sees (thread descriptors on mmapped stacks), so its
    "leak" is the scan's blind spot, not the program's bug."""
    stack = block.get("stack") or []
    p = sym.parse_frame(stack[0]) if stack else None
    return bool(p and re.match(r"^ld-linux[^/]*\.so|^ld\.so", os.path.basename(p[0])))


def unreachable(run):
    """The run's leaked blocks no live pointer reaches (the loader's own
    blocks left out)."""
    return [b for b in (run or {}).get("leaks", [])
            if not b.get("reachable") and not loader_block(b)]


def failed_frames(run):
    """The failed allocation's frames up to and including its first frame
    outside libc (a strdup inside xstrdup gives [strdup, xstrdup])."""
    f = run.get("fault") or {}
    if not f.get("hit"):
        return []
    out = []
    for fr in f.get("stack") or []:
        out.append(fr)
        if not sym.is_libc(fr):
            break
    return out


def failed_site(run):
    """The failed allocation's first frame outside libc, or None."""
    fr = failed_frames(run)
    return fr[-1] if fr and not sym.is_libc(fr[-1]) else (fr[-1] if fr else None)


def _result(kind, run, detail, stack, **extra):
    d = {"kind": kind, "detail": detail, "stack": list(stack or []),
         "failed": failed_site(run)}
    d.update(extra)
    return d


def rule_hang(run, ctx):
    """Timed out (the server's timeout, or the seam's hang record)."""
    if run.get("timed_out") or run.get("hang"):
        return _result("hang", run, "no end within the timeout",
                       (run.get("hang") or {}).get("stack"))
    return None


def rule_crash(run, ctx):
    """Ended by a fatal signal other than SIGABRT (abort's is rule_abort's)."""
    c = run.get("crash")
    if c and c.get("signal") != signal.SIGABRT:
        return _result("crash", run, c.get("name") or record.signal_name(c.get("signal", 0)),
                       c.get("stack"))
    sig = run.get("signal")
    if not c and sig is not None and sig != signal.SIGABRT:
        return _result("crash", run, record.signal_name(sig), [])
    return None


def rule_assertion(run, ctx):
    """An assert() failed: the seam's interposed __assert_fail, or SIGABRT
    with glibc's assertion message on stderr (the C library's own asserts
    call __assert_fail inside libc, where no interposition reaches)."""
    e = run.get("end") or {}
    if e.get("how") == "assert":
        return _result("assertion", run, e.get("message") or "assertion failed",
                       e.get("stack"))
    c = run.get("crash") or {}
    aborted = c.get("signal") == signal.SIGABRT or run.get("signal") == signal.SIGABRT
    if aborted and run.get("stderr_assert") and e.get("how") != "abort":
        return _result("assertion", run, run["stderr_assert"], c.get("stack"))
    return None


def rule_misuse(run, ctx):
    """Allocator misuse: the seam's record, or glibc's message on stderr."""
    if run.get("misuse"):
        m = run["misuse"][0]
        text = m.get("text") or "allocator misuse"
        # The seam's text goes on with addresses ("... at OBJ+0x..: block
        # #1 allocated at ..."): the stacks say that, symbolised.
        return _result("misuse", run, re.split(r" at \S+\+0x", text)[0], m.get("stack"),
                       message=text)
    if run.get("stderr_misuse"):
        e = run.get("end") or run.get("crash") or {}
        return _result("misuse", run, "glibc: " + run["stderr_misuse"], e.get("stack"))
    return None


def rule_policy(run, ctx):
    """A deliberate die-on-out-of-memory: ended by exit(non-zero), _exit
    (non-zero) or abort from inside the function that made the failed
    allocation (its name is on the end stack).  Keyed by that function
    alone, so it is said once, not once per point."""
    e = run.get("end") or {}
    how = e.get("how")
    if how not in ("exit", "_exit", "abort") or (how != "abort" and not e.get("status")):
        return None
    mine = set()
    for fr in failed_frames(run):
        mine.update(ctx.symbols.names(fr))
    if not mine:
        return None
    for fr in e.get("stack") or []:
        common = mine.intersection(ctx.symbols.names(fr))
        if common:
            func = ctx.symbols.func(failed_site(run)) or sorted(common)[0]
            what = "abort()" if how == "abort" else "%s(%d)" % (how, e.get("status"))
            return _result("policy", run, "%s ends the program with %s when an allocation "
                           "fails" % (func, what), [], function=func)
    return None


def rule_abort(run, ctx):
    """abort() (or SIGABRT) that is no policy: an inconsistency the program
    found after the failure."""
    e = run.get("end") or {}
    c = run.get("crash") or {}
    if e.get("how") == "abort":
        return _result("abort", run, e.get("message") or "abort()", e.get("stack"))
    if c.get("signal") == signal.SIGABRT or run.get("signal") == signal.SIGABRT:
        return _result("abort", run, "SIGABRT", c.get("stack"))
    return None


def rule_leak(run, ctx):
    """Unreachable blocks at a normal end whose allocation stack is not
    among the baseline's unreachable blocks (those are the baseline's own
    finding, said once)."""
    new = [b for b in unreachable(run) if ctx.leak_key(b) not in ctx.baseline_leak_keys]
    if not new:
        return None
    # The block allocated last stands for the run: the one nearest the
    # failure, which the error path dropped (the others are listed).
    new.sort(key=lambda b: -b.get("seq", 0))
    total = sum(b.get("size", 0) for b in new)
    return _result("leak", run, "%d block(s), %d bytes unreachable at exit" % (len(new), total),
                   new[0].get("stack"), leaks=new)


def outcome_text(run):
    """exit status (or signal) and first stderr line, as compared with the
    baseline."""
    if run.get("timed_out"):
        head = "timed out"
    elif run.get("status") is not None:
        head = "exit %d" % run["status"]
    elif run.get("signal") is not None:
        head = record.signal_name(run["signal"])
    else:
        head = "unknown end"
    return head + (": " + run["stderr_first"] if run.get("stderr_first") else "")


def rule_handled(run, ctx):
    """Everything else: absorbed when status and first stderr line equal the
    baseline's, handled (with that outcome) when not."""
    same = outcome_text(run) == outcome_text(ctx.baseline)
    return _result("absorbed" if same else "handled", run, outcome_text(run), [])


RULES = (rule_hang, rule_crash, rule_assertion, rule_misuse, rule_policy, rule_abort,
         rule_leak, rule_handled)


# The abort and assertion machinery of the C library: frames that say how
# the program was stopped, not where (each also as glibc's .cold part).
_MACHINERY = re.compile(
    r"^(__GI_)?_*(raise|gsignal|abort|pthread_kill|pthread_kill_implementation|"
    r"pthread_kill_internal|assert_fail|assert_fail_base|assert_perror_fail|"
    r"libc_message|libc_fatal|malloc_printerr|malloc_assert|fortify_fail|chk_fail|"
    r"stack_chk_fail)(\.cold)?$")


def strip_machinery(stack, symbols, reach=8):
    """The stack without its leading abort/assert machinery: everything up to
    the last machinery frame among the first `reach` (unnamed frames of libc
    between them go with it)."""
    last = -1
    for i, fr in enumerate(stack[:reach]):
        if any(_MACHINERY.match(n) for n in symbols.names(fr)):
            last = i
    return stack[last + 1:] if last + 1 < len(stack) else stack


def classify(run, ctx):
    """The first rule's classification of run, its stack without the C
    library's abort machinery."""
    for rule in RULES:
        got = rule(run, ctx)
        if got is not None:
            if got["kind"] != "leak":
                got["stack"] = strip_machinery(got["stack"], ctx.symbols)
            return got
    raise AssertionError("rule_handled always matches")
