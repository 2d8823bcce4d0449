"""The fork-server client (SPEC section 2): starts the program once with the
seam preloaded and two pipes on fds 198 (commands) and 199 (status), waits
for `ready`, then has it fork one child per point."""
import os
import select
import subprocess
import threading
import time

CTL_FD, STATUS_FD = 198, 199
_spawn_lock = threading.Lock()   # fds 198/199 are set up in this process briefly


class ServerDied(Exception):
    """The server ended or stopped answering while it was serving."""


def program_env(base, preload, only, extra=()):
    """The program's environment: the seam appended to any LD_PRELOAD, --only,
    and extra (name, value) pairs; leftovers of an outer sweep removed."""
    env = {k: v for k, v in base.items()
           if k not in ("MEMHARNESS_SWEEP_SERVER", "MEMHARNESS_SWEEP_RECORD",
                        "MEMHARNESS_FAULTS", "MEMHARNESS_FAULTS_SITES",
                        "MEMHARNESS_ONLY")}
    old = env.get("LD_PRELOAD", "").strip()
    env["LD_PRELOAD"] = "%s:%s" % (old, preload) if old else preload
    if only:
        env["MEMHARNESS_ONLY"] = ",".join(only)
    env.update(dict(extra))
    return env


class LineReader:
    """Lines from a pipe fd, each read with a deadline (select, no buffered
    file object, so a deadline never waits on data already buffered)."""

    def __init__(self, fd):
        self.fd, self.buf = fd, b""

    def readline(self, timeout):
        """The next line without its newline; None on EOF; TimeoutError."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                continue
            chunk = os.read(self.fd, 4096)
            if not chunk:
                return None
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode("utf-8", "replace")


class ForkServer:
    """One job: the program stopped in the seam, forking a run per command."""

    def __init__(self, argv, env, stdin_path, log_prefix, startup_timeout):
        self.argv, self.env, self.stdin_path = argv, env, stdin_path
        self.log_prefix, self.startup_timeout = log_prefix, startup_timeout
        self.proc = self.ctl = self.status = None
        self.next_id = 0
        self.pid = self.digest = None
        self.end_status = None   # the program's status when it never served

    def start(self):
        """Starts the program; returns "ready", "noserver <why>" or
        "nothing" (EOF without ready: no counted allocation after main)."""
        ctl_r, ctl_w = os.pipe()
        st_r, st_w = os.pipe()
        env = dict(self.env, MEMHARNESS_SWEEP_SERVER="%d,%d" % (CTL_FD, STATUS_FD))
        with _spawn_lock, open(self.stdin_path, "rb") as stdin, \
                open(self.log_prefix + ".stdout", "wb") as out, \
                open(self.log_prefix + ".stderr", "wb") as err:
            saved = [os.dup(CTL_FD) if _is_open(CTL_FD) else None,
                     os.dup(STATUS_FD) if _is_open(STATUS_FD) else None]
            try:
                os.dup2(ctl_r, CTL_FD)
                os.dup2(st_w, STATUS_FD)
                self.proc = subprocess.Popen(self.argv, stdin=stdin, stdout=out, stderr=err,
                                             env=env, pass_fds=(CTL_FD, STATUS_FD))
            finally:
                for fd, old in zip((CTL_FD, STATUS_FD), saved):
                    if old is None:
                        os.close(fd)
                    else:
                        os.dup2(old, fd)
                        os.close(old)
                os.close(ctl_r)
                os.close(st_w)
        self.ctl = ctl_w
        self.status = LineReader(st_r)
        try:
            line = self.status.readline(self.startup_timeout)
        except TimeoutError:
            self.close()
            raise ServerDied("no 'ready' within %d s of the start" % self.startup_timeout)
        if line is None:
            self.end_status = self.proc.wait()
            self.close()
            return "nothing"
        words = line.split()
        if words[:1] == ["ready"] and len(words) >= 2:
            self.pid = int(words[1])
            self.digest = words[2] if len(words) > 2 else None
            return "ready"
        if words[:1] == ["noserver"]:
            self.close()
            return "noserver " + " ".join(words[1:])
        self.close()
        raise ServerDied("unexpected first line from the seam: %r" % line)

    def run(self, spec, run_dir, timeout):
        """Runs one point; (wait_status, timed_out, usec)."""
        self.next_id += 1
        rid = self.next_id
        cmd = "run %d %s %s %s %s %d\n" % (rid, spec, os.path.join(run_dir, "record"),
                                           os.path.join(run_dir, "stdout"),
                                           os.path.join(run_dir, "stderr"), int(timeout * 1000))
        try:
            os.write(self.ctl, cmd.encode())
        except OSError as e:
            raise ServerDied("the server stopped reading commands (%s)" % e.strerror)
        try:
            # The server's own deadline is timeout + 1 s (stack, then SIGKILL).
            line = self.status.readline(timeout + 15)
        except TimeoutError:
            raise ServerDied("no 'done' for run %d within %d s" % (rid, timeout + 15))
        if line is None:
            raise ServerDied("the server ended during run %d (%s)" % (rid, self._end()))
        w = line.split()
        if len(w) != 5 or w[0] != "done" or w[1] != str(rid):
            raise ServerDied("unexpected answer to run %d: %r" % (rid, line))
        return int(w[2]), w[3] == "1", int(w[4])

    def _end(self):
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "still running"
        return "exit status %d" % code if code >= 0 else "signal %d" % -code

    def close(self):
        """quit, then EOF; the server _exits without running the program."""
        if self.ctl is not None:
            try:
                os.write(self.ctl, b"quit\n")
            except OSError:
                pass
            os.close(self.ctl)
            self.ctl = None
        if self.status is not None:
            os.close(self.status.fd)
            self.status = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False
