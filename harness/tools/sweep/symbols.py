"""Symbolises distinct frames only: one addr2line per object for all of its
offsets (-f -i -C), trusted only where there is debug information (it gives
file:line, or the object has .symtab/.debug_info), since on a stripped object
it answers the nearest preceding .dynsym symbol whatever its size.  Else the
name dladdr gave the seam when .dynsym's size says the pc lies in it, else
the function is named by its start from .eh_frame_hdr, OBJECT+0xSTART, so
that a dedup key still groups by function and never merges two.  A frame is
"OBJECT+0xOFF" optionally followed by " FUNC+0xOFF" (section 3)."""
import os
import re
import shutil
import subprocess

from .elfinfo import ElfInfo

_FRAME = re.compile(r"^(?P<obj>\S.*?)\+0x(?P<off>[0-9a-fA-F]+)"
                    r"(?: (?P<func>\S+?)\+0x[0-9a-fA-F]+)?\s*$")
# Objects of the C library: an allocation "outside libc" is the first
# frame not in one of these.
_LIBC = re.compile(r"^(libc\.so|ld-linux[^/]*\.so|ld\.so|libc-2\.)")


def parse_frame(text):
    """(object, offset, dladdr function or None) of a frame string; None when
    the text is not a frame."""
    m = _FRAME.match(text or "")
    if not m:
        return None
    return m.group("obj"), int(m.group("off"), 16), m.group("func")


def is_libc(frame):
    """True when the frame lies in the C library or the dynamic loader."""
    p = parse_frame(frame)
    return bool(p and _LIBC.match(os.path.basename(p[0])))


class Symbols:
    """Frame string -> {"func", "names", "where"}; lookups batched by object
    and cached, so each distinct frame is symbolised once per sweep."""

    def __init__(self, use_addr2line=True):
        self.cache = {}
        self.elves = {}          # object path -> ElfInfo
        self.addr2line = shutil.which("addr2line") if use_addr2line else None

    def resolve(self, frames):
        """Symbolises every frame of the iterable not seen yet."""
        todo = {}
        for fr in frames:
            if fr in self.cache or fr in todo:
                continue
            p = parse_frame(fr)
            if p is None:
                self.cache[fr] = {"func": None, "names": [], "where": fr}
                continue
            todo[fr] = p
        by_obj = {}
        for fr, (obj, off, _) in todo.items():
            by_obj.setdefault(obj, []).append((fr, off))
        for obj, items in by_obj.items():
            info = self._elf(obj)
            # A readable ELF object without debug information gets no
            # addr2line: its answer would be a guess (module doc).
            trust = not info.ok or info.has_debug
            found = self._addr2line(obj, [off for _, off in items]) if trust \
                else [None] * len(items)
            for (fr, off), got in zip(items, found):
                self.cache[fr] = self._entry(fr, obj, off, todo[fr][2], got, info)

    def _entry(self, fr, obj, off, dl, got, info):
        names = got[0] if got else []
        line = got[1] if got else None
        base = os.path.basename(obj)
        place = line or "%s+0x%x" % (base, off)
        # A return address points after the call: the call is one byte back.
        pc = max(off - 1, 0)
        if names:
            func = names[0]
        elif not info.ok:
            # The object is not here to check: the seam's dladdr name.
            func = dl
        elif dl and info.symbol_holds(dl, pc):
            func = dl
        else:
            func = info.dynsym_at(pc)
            if func is None:
                start = info.function_start(pc)
                if start is not None:
                    func = "%s+0x%x" % (base, start)
                    return {"func": func, "names": [func], "where": "a function without "
                            "a name at %s (%s)" % (func, place)}
        if not names and func:
            names = [func]
        return {"func": func, "names": names,
                "where": "%s (%s)" % (func, place) if func else fr}

    def _elf(self, obj):
        if obj not in self.elves:
            self.elves[obj] = ElfInfo(obj)
        return self.elves[obj]

    def _addr2line(self, obj, offs):
        """[(names innermost first, "file:line" or None) or None] per offset."""
        if not self.addr2line or not os.path.isfile(obj) or not offs:
            return [None] * len(offs)
        # A return address points after the call: the call is one byte back.
        query = "".join("0x%x\n" % max(off - 1, 0) for off in offs)
        try:
            out = subprocess.run([self.addr2line, "-a", "-f", "-i", "-C", "-e", obj],
                                 input=query, capture_output=True, text=True,
                                 timeout=120).stdout
        except (OSError, subprocess.SubprocessError):
            return [None] * len(offs)
        groups, cur = [], None
        lines = out.split("\n")
        i = 0
        while i < len(lines):
            x = lines[i]
            if re.match(r"^0x[0-9a-fA-F]+$", x):
                cur = [[], None]
                groups.append(cur)
                i += 1
                continue
            if cur is not None and x:
                loc = lines[i + 1] if i + 1 < len(lines) else "??:0"
                if x != "??":
                    cur[0].append(x)
                    if cur[1] is None and not loc.startswith("??"):
                        cur[1] = "%s:%s" % (os.path.basename(loc.split(":")[0]),
                                            loc.rsplit(":", 1)[-1].split(" ")[0])
                i += 2
                continue
            i += 1
        if len(groups) != len(offs):
            return [None] * len(offs)
        return [tuple(g) for g in groups]

    def func(self, frame):
        """The function name of a frame (symbolised or dladdr's), else None."""
        self.resolve([frame])
        return self.cache[frame]["func"]

    def names(self, frame):
        """Every function a frame lies in (inlined ones too)."""
        self.resolve([frame])
        return self.cache[frame]["names"]

    def key_name(self, frame):
        """The frame in a dedup key: its function name when known, else
        OBJECT+0xOFF; a C library frame by its object alone, since glibc
        picks strcpy's variant by the CPU (__strcpy_evex, __strcpy_avx2) and
        a key must hold on another runner."""
        if is_libc(frame):
            return os.path.basename(parse_frame(frame)[0])
        f = self.func(frame)
        if f:
            return f
        p = parse_frame(frame)
        return "%s+0x%x" % (p[0], p[1]) if p else frame

    def where(self, frame):
        """"func (file:line)" for display."""
        self.resolve([frame])
        return self.cache[frame]["where"]
