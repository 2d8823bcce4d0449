"""state.jsonl: a header naming the sweep, one line per finished point, one
per finished stream (a mode, or one site-mode hash class, that reached a
run hitting no fault) and "complete" at the end.  A sweep started again with
the same header and no "complete" line resumes: finished points are not
run again."""
import json
import os

VERSION = 1


def header(program, args, only, modes, shard, site_classes, stdin):
    """The header line's object: what must match for a resume."""
    return {"t": "header", "version": VERSION, "program": program, "args": list(args),
            "only": list(only), "modes": list(modes), "shard": "%d/%d" % shard,
            "site_classes": site_classes, "stdin": stdin}


def _same(a, b):
    keys = ("version", "program", "args", "only", "modes", "shard", "stdin")
    return all(a.get(k) == b.get(k) for k in keys)


class Resume:
    """What an unfinished state file already holds."""

    def __init__(self):
        self.points = {}        # label -> run dict
        self.finished = set()   # stream names
        self.site_classes = None


def load(path, want):
    """(Resume, note): the state to resume, or (None, why not) when the file
    is absent, complete, unreadable or of another sweep."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        return None, None
    except OSError as e:
        return None, "state %s unreadable (%s): starting afresh" % (path, e.strerror)
    objs = []
    for line in lines:
        try:
            objs.append(json.loads(line))
        except ValueError:
            pass   # a line cut short by an interrupted sweep
    if not objs or objs[0].get("t") != "header":
        return None, "state %s has no header: starting afresh" % path
    if not _same(objs[0], want):
        return None, "state %s is another sweep's (program, arguments, modes or shard " \
                     "differ): starting afresh" % path
    if any(o.get("t") == "complete" for o in objs):
        return None, None
    r = Resume()
    r.site_classes = objs[0].get("site_classes")
    for o in objs[1:]:
        if o.get("t") == "point":
            r.points[o["run"]["point"]] = o["run"]
        elif o.get("t") == "stream_done":
            r.finished.add(o["stream"])
    return r, "resuming from %s: %d point(s) done" % (path, len(r.points))


class Writer:
    """Appends lines to the state file, flushed at once (a killed sweep
    loses at most the point in progress)."""

    def __init__(self, path, head, resume):
        d = os.path.dirname(path)
        if d:
            os.makedirs(d, exist_ok=True)
        if resume is None:
            self.f = open(path, "w", encoding="utf-8")
            self._put(head)
        else:
            self.f = open(path, "a", encoding="utf-8")

    def _put(self, obj):
        self.f.write(json.dumps(obj, sort_keys=True) + "\n")
        self.f.flush()

    def point(self, run):
        """Records one finished point."""
        self._put({"t": "point", "run": run})

    def stream_done(self, stream, last):
        """Records that a stream reached a run hitting no fault (at last)."""
        self._put({"t": "stream_done", "stream": stream, "last": last})

    def complete(self):
        """Marks the sweep finished: a new sweep in this place starts afresh."""
        self._put({"t": "complete"})
        self.f.close()
