"""The program to sweep: found, checked (a dynamically linked ELF
executable, or a script whose interpreter is), and its standard input made
replayable (a file each run reads from its start)."""
import hashlib
import os
import shutil
import stat
import struct
import sys

from .points import UsageError

PT_INTERP = 3


def find(name):
    """The absolute path of PROGRAM (looked up on PATH without a '/')."""
    path = name if "/" in name else shutil.which(name)
    if not path:
        raise UsageError("%s: no such program on PATH" % name)
    if not os.path.isfile(path):
        raise UsageError("%s: no such program" % path)
    if not os.access(path, os.X_OK):
        raise UsageError("%s: not executable" % path)
    return os.path.abspath(path)


def check_dynamic(path):
    """UsageError unless path is an ELF executable with an interpreter
    (dynamically linked: LD_PRELOAD reaches it) or a #! script."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if head[:2] == b"#!":
                return "script"
            if head[:4] != b"\x7fELF":
                raise UsageError("%s: neither an ELF executable nor a #! script" % path)
            is64, little = head[4] == 2, head[5] == 1
            end = "<" if little else ">"
            if is64:
                phoff, = struct.unpack(end + "Q", head[32:40])
                phentsize, phnum = struct.unpack(end + "HH", head[54:58])
            else:
                phoff, = struct.unpack(end + "I", head[28:32])
                phentsize, phnum = struct.unpack(end + "HH", head[42:46])
            f.seek(phoff)
            table = f.read(phentsize * phnum)
    except OSError as e:
        raise UsageError("%s: cannot read it (%s)" % (path, e.strerror))
    for i in range(phnum):
        ptype, = struct.unpack(end + "I", table[i * phentsize:i * phentsize + 4])
        if ptype == PT_INTERP:
            return "elf"
    raise UsageError("%s is not dynamically linked: the preloaded seam cannot reach its "
                     "allocations (build it without -static)" % path)


def default_name(program, args):
    """The sweep's name: the program's basename, plus a short hash of the
    arguments when there are any (two tests of one program differ)."""
    base = os.path.basename(program)
    if not args:
        return base
    return "%s-%s" % (base, hashlib.sha1("\0".join(args).encode()).hexdigest()[:8])


def stdin_source(workdir):
    """(path every run reads as stdin, path for the reproducer or None): a
    regular file is read again from its start; a pipe's content is saved
    once into workdir/stdin; a terminal or device gives /dev/null."""
    try:
        st = os.fstat(0)
    except OSError:
        return os.devnull, None
    if stat.S_ISREG(st.st_mode):
        path = os.readlink("/proc/self/fd/0")
        if os.path.isfile(path):
            return path, path
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode):
        path = os.path.join(workdir, "stdin")
        with open(path, "wb") as f:
            shutil.copyfileobj(sys.stdin.buffer, f)
        return path, path
    return os.devnull, None
