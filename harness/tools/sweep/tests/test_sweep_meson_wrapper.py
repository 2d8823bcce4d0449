#!/usr/bin/env python3
"""memharness sweep as Meson's test wrapper: a throw-away Meson project with
two tests of fake_server.py (one whose allocation 3 crashes, one clean),
run with `meson test --wrapper 'memharness sweep --'`: the crashing test
must fail under its own name with its finding in its output, the clean one
pass.

Usage: test_sweep_meson_wrapper.py   (exit 0 when it holds, 77 without meson)"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "fake_server.py")
MEMHARNESS = os.path.abspath(os.path.join(HERE, "..", "..", "memharness"))
sys.path.insert(0, HERE)
from test_sweep_command import libc_path  # noqa: E402


def main():
    meson = shutil.which("meson")
    if not meson:
        print("meson not on PATH: skipped")
        return 77
    d = tempfile.mkdtemp(prefix="sweep-meson-")
    try:
        for name, script in (("crashy", {"allocs": 5, "at": {"3": "crash"}}),
                             ("clean", {"allocs": 5})):
            with open(os.path.join(d, name + ".json"), "w") as f:
                json.dump(script, f)
        with open(os.path.join(d, "meson.build"), "w") as f:
            f.write("project('wrapped', [])\npy = find_program(%r)\n"
                    "foreach t : ['crashy', 'clean']\n"
                    "  test(t, py, args : [%r, meson.current_source_dir() / t + '.json'],"
                    " timeout : 240)\nendforeach\n" % (os.path.realpath(sys.executable), FAKE))
        env = dict(os.environ, MEMHARNESS_PRELOAD=libc_path())
        subprocess.run([meson, "setup", os.path.join(d, "b"), d], check=True, env=env,
                       capture_output=True)
        p = subprocess.run([meson, "test", "-C", os.path.join(d, "b"), "--num-processes", "1",
                            "--wrapper", "bash %s sweep --jobs 1 --mode transient --" % MEMHARNESS],
                           capture_output=True, text=True, env=env, timeout=600)
        log = {}
        # Meson names the log after the wrapper (testlog-bash.json).
        logs = glob.glob(os.path.join(d, "b", "meson-logs", "testlog*.json"))
        if not logs:
            print("meson test wrote no test log:\n" + p.stdout + p.stderr)
            return 1
        with open(logs[0]) as f:
            for line in f:
                t = json.loads(line)
                log[t["name"]] = t
        errors = []
        if p.returncode == 0:
            errors.append("meson test passed although one test crashes")
        crashy, clean = log.get("crashy"), log.get("clean")
        if not crashy or crashy["result"] != "FAIL" or crashy["returncode"] != 3:
            errors.append("crashy: expected FAIL with exit 3, got %r" % (crashy,))
        elif "sweep: crash: SIGSEGV at parse_value" not in crashy["stdout"]:
            errors.append("crashy: its output does not name the crash:\n%s" % crashy["stdout"])
        if not clean or clean["result"] != "OK":
            errors.append("clean: expected OK, got %r" % (clean,))
        if errors:
            print("\n".join(errors) + "\n--- meson test output:\n" + p.stdout + p.stderr)
            return 1
        print("meson test --wrapper 'memharness sweep --': crashy FAIL (exit 3, "
              "its crash in its output), clean OK")
        return 0
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
