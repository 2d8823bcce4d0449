"""Modes, fault specs and shard/job arithmetic: which points a shard owns,
how a site-mode job's hash class combines with the shard's."""
import re

MODE_ORDER = ("transient", "persistent", "site")
_MODE = re.compile(r"^(transient|persistent)$|^site(?::([1-4]))?$")


class UsageError(Exception):
    """Bad command line or input: exit status 2 with this message."""


def parse_mode(text):
    """("transient"|"persistent", None) or ("site", depth) for a --mode value."""
    m = _MODE.match(text)
    if not m:
        raise UsageError("--mode %r: expected transient, persistent or site[:D] "
                         "(D from 1 to 4)" % text)
    if m.group(1):
        return (m.group(1), None)
    return ("site", int(m.group(2) or 1))


def mode_name(mode):
    """The mode as written on the command line and in sweep.json."""
    kind, depth = mode
    return kind if kind != "site" else "site:%d" % depth


def parse_shard(text):
    """(I, N) from "I/N", 1 <= I <= N."""
    m = re.match(r"^(\d+)/(\d+)$", text or "")
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise UsageError("--shard %r: expected I/N with 1 <= I <= N (e.g. 2/4)" % text)
    return int(m.group(1)), int(m.group(2))


def shard_owns_k(k, shard):
    """True when counted point k (1-based) belongs to shard (I, N):
    (k-1) % N == I-1, so N shards cover every k exactly once."""
    i, n = shard
    return (k - 1) % n == i - 1


def shard_ks(shard, start=1):
    """The shard's k values from start on, ascending (an endless generator)."""
    i, n = shard
    k = i
    while k < start:
        k += n
    while True:
        yield k
        k += n


def site_class(shard, job, jobs):
    """(I, N) of the site spec for one job: sites whose hash % N == I-1.
    Job j (0-based) of `jobs` inside shard (Is, Ns) takes
    hash % (Ns*jobs) == (Is-1) + Ns*j, which implies hash % Ns == Is-1, so
    the jobs split exactly the shard's own sites between them."""
    si, sn = shard
    if not 0 <= job < jobs:
        raise ValueError("job %d of %d" % (job, jobs))
    return (si - 1) + sn * job + 1, sn * jobs


def spec_for(mode, k=None, sites_file=None, cls=(1, 1)):
    """The spec string a run is armed with (section 2)."""
    kind, depth = mode
    if kind == "off":
        return "off"
    if kind in ("transient", "persistent"):
        return "%s:%d" % (kind, k)
    if sites_file is None or any(c.isspace() for c in sites_file):
        raise ValueError("site spec needs a sites file path without spaces")
    return "site:%d:%s:%d:%d" % (depth, sites_file, cls[0], cls[1])


def point_label(mode, k, cls=(1, 1)):
    """A point's name in the model and on the console: transient:7, or
    site:2:1/2#5 (the 5th run of site mode at depth 2 in hash class 1 of 2)."""
    kind, depth = mode
    if kind == "site":
        return "site:%d:%d/%d#%d" % (depth, cls[0], cls[1], k)
    return "%s:%d" % (kind, k)


def point_sort_key(label):
    """Orders point labels by mode (transient, persistent, site), then k, so
    that 'first point' means the same in a shard and after a merge."""
    if label == "off":
        return (-1, 0, 0, 0, 0)
    m = re.match(r"^site:(\d+):(\d+)/(\d+)#(\d+)$", label)
    if m:
        d, i, n, k = (int(x) for x in m.groups())
        return (2, d, k, n, i)
    kind, _, k = label.partition(":")
    return (MODE_ORDER.index(kind) if kind in MODE_ORDER else 9, 0,
            int(k) if k.isdigit() else 0, 0, 0)
