"""Dispatches points to the free job.  A counted stream (transient or
persistent) hands out its shard's k in order, ahead of the results, and
stops handing out once a run hits no fault; a site stream (one hash class)
runs one point at a time, since each run reads the sites the previous ones
failed, and stops at the first run that fails no new site."""
import os
import shutil
import threading

from . import points, record
from .server import ServerDied


class CountedStream:
    """transient or persistent: k = the shard's points, 1, 2, ... until a run
    hits no fault."""

    def __init__(self, mode, shard, done, limit=None):
        self.mode, self.name = mode, points.mode_name(mode)
        self.ks = points.shard_ks(shard)
        self.done = done          # labels already finished (resume)
        self.stop_k = None        # first k whose run hit no fault
        self.in_flight = 0
        # The fault-free run's count: a run that hits no fault at k within it
        # did not repeat that run (a file offset shared with the server, the
        # time, randomness); the sweep goes on to the count and says so.
        self.limit = limit
        self.diverged = []        # [(k, counted)]

    def next_task(self):
        """(label, spec, k) of the next point, or None for now."""
        if self.stop_k is not None:
            return None
        while True:
            k = next(self.ks)
            label = points.point_label(self.mode, k)
            if label not in self.done:
                return label, points.spec_for(self.mode, k), k

    def result(self, k, hit, counted=None):
        """Takes a run's result; False when it hit no fault (dropped)."""
        if not hit:
            if self.limit is not None and k <= self.limit:
                self.diverged.append((k, counted))
                return False
            self.stop_k = k if self.stop_k is None else min(self.stop_k, k)
            return False
        return True

    def finished(self):
        return self.stop_k is not None and self.in_flight == 0


class SiteStream:
    """site:D for one hash class (I, N): run n reads the sites runs 1..n-1
    failed (SITESFILE) and fails the first new one."""

    def __init__(self, mode, cls, sites_file, done):
        self.mode, self.cls, self.sites_file = mode, cls, sites_file
        self.name = "%s:%d/%d" % (points.mode_name(mode), cls[0], cls[1])
        self.n = 1
        while points.point_label(mode, self.n, cls) in done:
            self.n += 1
        self.stop_k = None
        self.in_flight = 0

    def next_task(self):
        if self.stop_k is not None or self.in_flight:
            return None
        label = points.point_label(self.mode, self.n, self.cls)
        spec = points.spec_for(self.mode, sites_file=self.sites_file, cls=self.cls)
        k = self.n
        self.n += 1
        return label, spec, k

    def result(self, k, hit, counted=None):
        if not hit:
            self.stop_k = k
            return False
        return True

    def finished(self):
        return self.stop_k is not None and self.in_flight == 0


def run_dir_name(label):
    """A point's run directory name (no ':' '/' '#')."""
    return label.replace(":", "-").replace("/", "of").replace("#", "-")


class Scheduler:
    """Runs every stream's points on the jobs (runners) until each stream is
    finished or --max-points is reached; results go to on_point."""

    def __init__(self, runners, streams, runs_root, timeout, state, max_points=None,
                 restart=None, progress=None):
        self.runners, self.streams = runners, streams
        self.runs_root, self.timeout, self.state = runs_root, timeout, state
        self.max_points, self.restart, self.progress = max_points, restart, progress
        self.lock = threading.Condition()
        self.runs, self.errors = [], []
        self.started = 0
        self.capped = False
        self.kept = {}   # record.same_key -> (point order, run) whose files are kept

    def run_one(self, runner, label, spec, slot=None):
        """Runs one point on runner; its run dict.  With slot (a job's
        reused directory) the run's files go there, to be kept only when
        the run may be a finding's first point (_keep_or_drop); else in a
        directory of the point's own."""
        if slot is None:
            d = os.path.join(self.runs_root, run_dir_name(label))
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
        else:
            d = slot
            os.makedirs(d, exist_ok=True)
            # A run that dies before its record is written must not be read
            # with the previous run's record.
            try:
                os.truncate(os.path.join(d, "record"), 0)
            except FileNotFoundError:
                pass
        st, to, usec = runner.run(spec, d, self.timeout)
        return record.outcome(label, spec, st, to, usec, d)

    def _keep_or_drop(self, run, keep):
        """(under the lock) Moves a slot run's files to the point's own
        directory when no earlier point gave the same outcome (record.same_key:
        equal keys classify and deduplicate alike, so only a finding's first
        point needs its files); else leaves them to be overwritten."""
        slot = run["run_dir"]
        run["run_dir"] = None
        if not keep:
            return
        key = record.same_key(run)
        order = points.point_sort_key(run["point"])
        old = self.kept.get(key)
        if old is not None and old[0] <= order:
            return
        d = os.path.join(self.runs_root, run_dir_name(run["point"]))
        shutil.rmtree(d, ignore_errors=True)
        os.rename(slot, d)
        run["run_dir"] = d
        if old is not None:
            shutil.rmtree(old[1]["run_dir"], ignore_errors=True)
            old[1]["run_dir"] = None
        self.kept[key] = (order, run)

    def _take(self):
        with self.lock:
            while True:
                if self.max_points is not None and self.started >= self.max_points:
                    if not self.capped and any(s.stop_k is None for s in self.streams):
                        self.capped = True
                    return None
                busy = False
                for s in self.streams:
                    t = s.next_task()
                    if t is not None:
                        s.in_flight += 1
                        self.started += 1
                        return (s,) + t
                    busy = busy or s.in_flight > 0
                if not busy:
                    return None
                self.lock.wait()

    def _worker(self, j):
        runner = self.runners[j]
        slot = os.path.join(self.runs_root, ".job-%d" % j)
        while True:
            task = self._take()
            if task is None:
                return
            s, label, spec, k = task
            run = None
            for attempt in (1, 2):
                try:
                    run = self.run_one(runner, label, spec, slot)
                    break
                except (ServerDied, OSError) as e:
                    msg = "%s: %s" % (label, e)
                # The next run, this point's second try or the next point,
                # gets a fresh job.
                try:
                    if self.restart is None:
                        raise ServerDied("no restart")
                    runner = self.runners[j] = self.restart(j, runner)
                except (ServerDied, OSError) as e2:
                    with self.lock:
                        self.errors.append("%s; the job could not be restarted: %s"
                                           % (msg, e2))
                    runner = None
                    break
                if attempt == 2:
                    with self.lock:
                        self.errors.append("%s (twice: the point is left out)" % msg)
            with self.lock:
                s.in_flight -= 1
                if run is not None:
                    taken = s.result(k, record.hit(run), (run.get("fault") or {}).get("counted"))
                    self._keep_or_drop(run, taken)
                    if taken:
                        self.runs.append(run)
                        self.state.point(run)
                        if self.progress:
                            self.progress(run)
                else:
                    # A point no job could run: the stream goes on, but is
                    # not marked finished, so that a resume tries it again.
                    s.broken = True
                if s.finished() and not getattr(s, "marked", False) \
                        and not getattr(s, "broken", False):
                    s.marked = True
                    self.state.stream_done(s.name, s.stop_k)
                self.lock.notify_all()
            if runner is None:
                return

    def run_all(self):
        """Runs everything; (new runs, errors, capped by --max-points)."""
        threads = [threading.Thread(target=self._worker, args=(j,), daemon=True)
                   for j in range(len(self.runners))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return self.runs, self.errors, self.capped
