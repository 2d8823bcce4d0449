#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the input layouts the
targets document (fuzz_<target>.c, schedule_byte.h).  Seeds are named after
what they hold, so a replay log reads as a list of boundaries.  Rerun after
changing a layout; files that no longer belong are removed."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Fault schedule byte: bits 0-1 mode (1 transient, 2 persistent), bits 2-3 k-1.
def schedule(mode, k=1):
    if mode == "none":
        return 0
    return {"transient": 1, "persistent": 2}[mode] | ((k - 1) << 2)

SCHEDULES = [("none", 1), ("transient", 1), ("transient", 2), ("persistent", 1),
             ("persistent", 2)]


def tag(mode, k):
    return "nofault" if mode == "none" else f"{mode}{k}"


def connections():
    seeds = {}
    all_slots = (1 << 20) - 1
    for n in (0, 1, 20, 21, 255, 256, 32767, 32768, 65535):
        for mode, k in SCHEDULES:
            for mask_name, mask in (("noslots", 0), ("allslots", all_slots),
                                    ("evenslots", 0x55555)):
                # Out-of-range counts: the mask is never read; one variant.
                if n > 20 and mask_name != "noslots":
                    continue
                data = struct.pack("<HB", n, schedule(mode, k)) + mask.to_bytes(3, "little")
                seeds[f"count-{n:05d}-{tag(mode, k)}-{mask_name}"] = data
    return seeds


def fixup_info():
    seeds = {}
    for n in (0, 1, 999, 1000, 1001, 32767, 32768, 65535):
        for mode, k in SCHEDULES:
            seeds[f"count-{n:05d}-{tag(mode, k)}"] = struct.pack("<HB", n, schedule(mode, k))
    return seeds


def units(values):
    return b"".join(struct.pack("<H", v) for v in values)


def counted_string():
    text = [0x48, 0x00E9, 0xD83D, 0xDE00, 0x4E2D, 0x0041]  # H, e-acute, emoji pair, CJK, A
    def repeat(n):
        return [text[i % len(text)] for i in range(n)]
    cases = {
        "empty-terminated": [0],
        "empty-unterminated": [],
        "short-terminated": text + [0],
        "short-unterminated": text,
        "short-then-tail": text + [0] + repeat(10),
        "len1023-terminated": repeat(1023) + [0],
        "len1024-terminated": repeat(1024) + [0],
        "len1024-unterminated": repeat(1024),
        "len1025-unterminated": repeat(1025),
        "len1025-terminated": repeat(1025) + [0],
        "len1030-unterminated": repeat(1030),
    }
    seeds = {"null-string": b""}
    for name, values in cases.items():
        for mode, k in SCHEDULES:
            if mode != "none" and not name.startswith(("short-terminated", "len1024-t")):
                continue
            seeds[f"{name}-{tag(mode, k)}"] = bytes([schedule(mode, k)]) + units(values)
    # An odd last byte is dropped: still a valid input.
    seeds["short-odd-byte"] = bytes([0]) + units(text) + b"\x7f"
    return seeds


# The order of nap_free_targets and nap_soh_attribute_type_probes in
# harness/nap/nap_types.c: the first and third input bytes index them.
FREE_FUNCTIONS = ["FreeConnections", "FreeFixupInfo", "FreeCountedString",
                  "FreeIsolationInfo", "FreeIsolationInfoEx", "FreeSoH", "FreeNetworkSoH",
                  "FreePrivateData", "FreeSystemHealthAgentState", "FreeSoHAttributeValue",
                  "FreeNapComponentRegistrationInfoArray"]
SOH_TYPE_PROBES = list(range(21)) + [255, 65535]


def free_structures():
    seeds = {}
    streams = {
        "zeros": b"",
        "maximal": b"\xff" * 64,
        "mixed": bytes((i * 37 + 11) % 256 for i in range(64)),
    }
    for fi, fn in enumerate(FREE_FUNCTIONS):
        tags = range(len(SOH_TYPE_PROBES)) if fn == "FreeSoHAttributeValue" else [0]
        for ti in tags:
            tname = f"-type{SOH_TYPE_PROBES[ti]}" if fn == "FreeSoHAttributeValue" else ""
            for sname, stream in streams.items():
                for mode, k in SCHEDULES:
                    if mode != "none" and (sname != "mixed" or ti > 0):
                        continue
                    seeds[f"{fn}{tname}-{sname}-{tag(mode, k)}"] = (
                        bytes([fi, schedule(mode, k), ti]) + stream)
    return seeds


TARGETS = {"connections": connections, "fixup_info": fixup_info,
           "counted_string": counted_string, "free_structures": free_structures}


def main():
    for target, make in TARGETS.items():
        d = os.path.join(HERE, "corpus", target)
        os.makedirs(d, exist_ok=True)
        seeds = make()
        for old in os.listdir(d):
            if old not in seeds:
                os.remove(os.path.join(d, old))
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print(f"{target}: {len(seeds)} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
