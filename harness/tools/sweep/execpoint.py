"""The exec-per-point fallback (--no-fork-server, or when the seam answers
`noserver`): the program started afresh for each point in standalone mode,
MEMHARNESS_FAULTS=SPEC and MEMHARNESS_SWEEP_RECORD=PATH in its environment.
The same interface as server.ForkServer."""
import os
import signal
import subprocess
import time


# The real-time signal on which the seam writes a run's hang record
# (SIGRTMIN+5 in the preload branch's preload_signals.c; SPEC21 section 2
# says only "a real-time signal").  Without the seam's handler it ends the
# run, as the SIGKILL after it would.
HANG_SIGNAL = signal.SIGRTMIN + 5


def standalone_faults(spec):
    """The environment arming spec in standalone mode: the core's variables,
    whose site mode reads and appends the sites file (MEMHARNESS_FAULTS_SITES)
    but has no hash classes: site:D:FILE:I:N only with I:N = 1:1."""
    if not spec.startswith("site:"):
        return {"MEMHARNESS_FAULTS": spec}
    _, depth, path, i, n = spec.split(":")
    if (i, n) != ("1", "1"):
        raise ValueError("site mode split into hash classes (%s/%s) needs the fork server"
                         % (i, n))
    return {"MEMHARNESS_FAULTS": "site:%s" % depth, "MEMHARNESS_FAULTS_SITES": path}


class ExecRunner:
    """Runs the program once per point; wait statuses encoded as waitpid's."""

    def __init__(self, argv, env, stdin_path):
        self.argv, self.env, self.stdin_path = argv, env, stdin_path
        self.pid = self.digest = None

    def start(self):
        """Nothing to start: always "ready"."""
        return "ready"

    def run(self, spec, run_dir, timeout):
        """(wait_status, timed_out, usec) of one run armed with spec."""
        env = dict(self.env, MEMHARNESS_SWEEP_RECORD=os.path.join(run_dir, "record"))
        env.update(standalone_faults(spec))
        t0 = time.monotonic()
        timed_out = False
        with open(self.stdin_path, "rb") as stdin, \
                open(os.path.join(run_dir, "stdout"), "wb") as out, \
                open(os.path.join(run_dir, "stderr"), "wb") as err:
            p = subprocess.Popen(self.argv, stdin=stdin, stdout=out, stderr=err, env=env,
                                 start_new_session=True)
            try:
                code = p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                code = self._stop(p)
        usec = int((time.monotonic() - t0) * 1e6)
        status = (-code) & 0x7f if code < 0 else (code & 0xff) << 8
        return status, timed_out, usec

    @staticmethod
    def _stop(p):
        """Asks a timed-out run for its stack (the seam's hang signal, as the
        fork server does), then kills its process group after 1 s."""
        try:
            os.kill(p.pid, HANG_SIGNAL)
            return p.wait(timeout=1)
        except (OSError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            p.kill()
        return p.wait()

    def close(self):
        """Nothing to stop."""
