#!/usr/bin/env python3
"""memharness sweep's entry point (called by the memharness command): the
sweep package beside this file, the report package one level up."""
import os
import sys

sys.dont_write_bytecode = True  # keep the source and install trees free of __pycache__
_here = os.path.dirname(os.path.abspath(__file__))
# harness/tools/report.py is a script, not the package: ".." goes first.
sys.path.insert(0, _here)
sys.path.insert(0, os.path.join(_here, ".."))
from sweep import cli  # noqa: E402

if __name__ == "__main__":
    sys.exit(cli.main(sys.argv[1:]))
