"""What a loaded object's ELF file says about its functions, read directly
(no pyelftools here): whether it carries symbols or debug information of its
own (.symtab, .debug_info, or a separate debug file found by build id), its
dynamic symbols with their sizes (.dynsym), and the start of every function
that has unwind information (.eh_frame_hdr's sorted table).  Offsets are the
seam's OFF: pc minus the load bias, i.e. the ELF virtual address."""
import bisect
import mmap
import os
import struct

PT_GNU_EH_FRAME = 0x6474e550
SHT_SYMTAB, SHT_DYNSYM = 2, 11
STT_FUNC, STT_GNU_IFUNC = 2, 10
DEBUG_ROOT = "/usr/lib/debug"


class ElfInfo:
    """One object's symbols and function starts; `ok` False when the file is
    absent or not ELF (then every lookup answers None)."""

    def __init__(self, path, debug_root=DEBUG_ROOT):
        self.ok = False
        self.has_debug = False
        self._dynsyms = None     # sorted [(start, size, name)] of defined functions
        self._by_name = None     # name -> (start, size)
        self._starts = None      # sorted function starts from .eh_frame_hdr
        try:
            with open(path, "rb") as f:
                # Mapped, not read: a debug-rich object is asked for nothing
                # beyond its section names (libc's 2 MB are not read).
                self.data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return
        try:
            self._parse(self.data, path, debug_root)
        except (struct.error, IndexError, ValueError):
            return
        self.ok = True

    def _parse(self, data, path, debug_root):
        if data[:4] != b"\x7fELF":
            raise ValueError("not ELF")
        self.is64 = data[4] == 2
        self.end = end = "<" if data[5] == 1 else ">"
        if self.is64:
            (phoff, shoff, _, _, phentsize, phnum, shentsize, shnum,
             shstrndx) = struct.unpack_from(end + "QQIHHHHHH", data, 0x20)
        else:
            (phoff, shoff, _, _, phentsize, phnum, shentsize, shnum,
             shstrndx) = struct.unpack_from(end + "IIIHHHHHH", data, 0x1c)
        self.ph = (phoff, phentsize, phnum)
        shdrs = []
        for i in range(shnum if shoff else 0):
            o = shoff + i * shentsize
            if self.is64:
                name, typ, _, addr, off, size, link, _, _, entsize = \
                    struct.unpack_from(end + "IIQQQQIIQQ", data, o)
            else:
                name, typ, _, addr, off, size, link, _, _, entsize = \
                    struct.unpack_from(end + "IIIIIIIIII", data, o)
            shdrs.append((name, typ, addr, off, size, link, entsize))
        self.shdrs = shdrs
        names = []
        if shdrs and shstrndx < len(shdrs):
            stroff = shdrs[shstrndx][3]
            for s in shdrs:
                names.append(_cstr(data, stroff + s[0]))
        self.has_debug = any(n in (".symtab", ".debug_info") for n in names) or \
            self._separate_debug(data, end, shdrs, names, debug_root) or \
            self._debuglink(data, shdrs, names, os.path.realpath(path), debug_root)

    @property
    def dynsyms(self):
        """Sorted [(start, size, name)] of the defined dynamic functions."""
        if self._dynsyms is None:
            self._dynsyms, self._by_name = [], {}
            try:
                for s in self.shdrs:
                    if s[1] == SHT_DYNSYM and s[5] < len(self.shdrs):
                        self._read_dynsym(self.data, self.end, self.is64, s,
                                          self.shdrs[s[5]][3])
            except (struct.error, IndexError, ValueError):
                pass
            self._dynsyms.sort()
        return self._dynsyms

    @property
    def starts(self):
        """Sorted function starts from .eh_frame_hdr."""
        if self._starts is None:
            self._starts = []
            phoff, phentsize, phnum = self.ph
            try:
                for i in range(phnum):
                    o = phoff + i * phentsize
                    if self.is64:
                        typ, _, off, vaddr, _, filesz = \
                            struct.unpack_from(self.end + "IIQQQQ", self.data, o)
                    else:
                        typ, off, vaddr, _, filesz = \
                            struct.unpack_from(self.end + "IIIII", self.data, o)
                    if typ == PT_GNU_EH_FRAME:
                        self._starts = _eh_frame_starts(self.data, self.end, off, vaddr,
                                                        filesz)
            except (struct.error, IndexError, ValueError):
                self._starts = []
        return self._starts

    def _separate_debug(self, data, end, shdrs, names, debug_root):
        """True when a debug file for this object sits under debug_root (by
        build id, where addr2line looks too)."""
        for s, n in zip(shdrs, names):
            if n != ".note.gnu.build-id":
                continue
            namesz, descsz, _ = struct.unpack_from(end + "III", data, s[3])
            at = s[3] + 12 + ((namesz + 3) & ~3)
            desc = data[at:at + descsz].hex()
            if len(desc) > 2:
                return os.path.isfile(os.path.join(debug_root, ".build-id", desc[:2],
                                                   desc[2:] + ".debug"))
        return False

    def _debuglink(self, data, shdrs, names, path, debug_root):
        """True when the .gnu_debuglink file is where gdb and addr2line look."""
        for s, n in zip(shdrs, names):
            if n == ".gnu_debuglink":
                link = _cstr(data, s[3])
                d = os.path.dirname(path)
                return any(os.path.isfile(os.path.join(x, link)) and
                           os.path.join(x, link) != path
                           for x in (d, os.path.join(d, ".debug"), debug_root + d))
        return False

    def _read_dynsym(self, data, end, is64, s, stroff):
        _, _, _, off, size, _, entsize = s
        entsize = entsize or (24 if is64 else 16)
        for o in range(off, off + size - entsize + 1, entsize):
            if is64:
                name, info, _, shndx, value, sz = struct.unpack_from(end + "IBBHQQ", data, o)
            else:
                name, value, sz, info, _, shndx = struct.unpack_from(end + "IIIBBH", data, o)
            if shndx == 0 or value == 0 or (info & 0xf) not in (STT_FUNC, STT_GNU_IFUNC):
                continue
            n = _cstr(data, stroff + name)
            self._dynsyms.append((value, sz, n))
            self._by_name.setdefault(n, (value, sz))

    def symbol_holds(self, name, addr):
        """True when the dynamic symbol `name` spans addr (start <= addr <
        start + st_size); None when the object has no such symbol."""
        _ = self.dynsyms   # fills _by_name too
        got = self._by_name.get(name)
        if got is None:
            return None
        return got[0] <= addr < got[0] + got[1]

    def dynsym_at(self, addr):
        """The dynamic function symbol whose [start, start + size) holds addr."""
        syms = self.dynsyms
        i = bisect.bisect_right(syms, (addr, float("inf"), "")) - 1
        # Only the symbols of the largest start <= addr can hold it: functions
        # do not nest.
        first = syms[i][0] if i >= 0 else None
        while i >= 0 and syms[i][0] == first:
            start, size, name = syms[i]
            if addr < start + size:
                return name
            i -= 1
        return None

    def function_start(self, addr):
        """The largest function start <= addr from .eh_frame_hdr, or None."""
        starts = self.starts
        i = bisect.bisect_right(starts, addr) - 1
        return starts[i] if i >= 0 else None


def _cstr(data, off):
    e = data.find(b"\0", off)
    if e < 0:
        raise ValueError("unterminated string")
    return data[off:e].decode("utf-8", "replace")


def _eh_frame_starts(data, end, off, vaddr, size):
    """initial_location of every FDE in the .eh_frame_hdr at file offset off
    (virtual address vaddr), sorted; [] for a table encoding other than the
    linkers' (datarel sdata4) or an absent table."""
    version, ptr_enc, count_enc, table_enc = struct.unpack_from("BBBB", data, off)
    if version != 1 or table_enc != 0x3b or ptr_enc == 0xff:
        return []
    p = off + 4
    p += _enc_size(ptr_enc)           # eh_frame_ptr
    if count_enc == 0x03:             # udata4
        (count,) = struct.unpack_from(end + "I", data, p)
    elif count_enc == 0x0b:           # sdata4
        (count,) = struct.unpack_from(end + "i", data, p)
    else:
        return []
    p += 4
    if p + 8 * count > off + size:
        return []
    starts = [vaddr + struct.unpack_from(end + "i", data, p + 8 * i)[0] for i in range(count)]
    starts.sort()
    return starts


def _enc_size(enc):
    low = enc & 0x0f
    if low in (0x02, 0x0a):
        return 2
    if low in (0x03, 0x0b):
        return 4
    if low in (0x04, 0x0c, 0x00):
        return 8
    raise ValueError("eh_frame_ptr encoding 0x%x" % enc)
