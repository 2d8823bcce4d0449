#!/usr/bin/env python3
"""Proves the report page renders: opens it in headless Chromium, saves a
screenshot next to it (index.png), and fails unless the PNG has the window's
size and is not blank, the rendered DOM names every function that has sweep
figures in summary.json, and the page fetches nothing (no script, no
external src/href).

Usage: report_render_check.py [REPORTS_DIR]        (default build/reports)
       report_render_check.py --page FILE.html [--expect NAME ...]
Exit status: 0 rendered, 1 a check failed, 77 Chromium is not installed
(harness/tools/install-deps.sh chromium installs it)."""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

WIDTH, HEIGHT = 1200, 1600
# Flags measured to work as root in a container without a display or network.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--window-size=%d,%d" % (WIDTH, HEIGHT),
]
TIMEOUT = 90
FETCHING = re.compile(r"<script|\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:|//)|url\(\s*['\"]?https?:",
                      re.I)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(binary, extra, url):
    """Runs one headless Chromium with a fresh profile; returns its stdout
    and (wall seconds, CPU seconds of Chromium's processes)."""
    with tempfile.TemporaryDirectory(prefix="naputil-chromium-") as profile:
        cmd = [binary] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] + extra + [url]
        start = time.monotonic()
        cpu0 = os.times()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT, check=False)
        cpu1 = os.times()
        took = (time.monotonic() - start,
                cpu1.children_user + cpu1.children_system
                - cpu0.children_user - cpu0.children_system)
    if p.returncode != 0:
        raise RuntimeError("chromium exited %d: %s" % (
            p.returncode, p.stderr.decode(errors="replace")[-600:]))
    return p.stdout.decode("utf-8", errors="replace"), took


def png_pixels(path):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit RGB or
    RGBA non-interlaced PNG, unfiltered (what Chromium writes)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError("unexpected PNG format depth=%d colour=%d" % (depth, colour))
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 0xFF
        elif ftype == 2:
            row = bytearray((a + b) & 0xFF for a, b in zip(row, prev))
        elif ftype == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                row[i] = (row[i] + pred) & 0xFF
        rows.append(row)
        prev = row
    return width, height, rows, bpp


def colour_census(rows, bpp):
    """Distinct colours, and the share of pixels the commonest one covers,
    over every fourth row (enough to tell a page from a blank, and fast)."""
    counts = {}
    total = 0
    for row in rows[::4]:
        for i in range(0, len(row), bpp):
            key = bytes(row[i:i + 3])
            counts[key] = counts.get(key, 0) + 1
            total += 1
    return len(counts), max(counts.values()) / total if total else 1.0


def expected_names(reports_dir):
    """Functions with sweep figures: each must appear on the rendered page."""
    with open(os.path.join(reports_dir, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    return [name for name, fn in summary.get("functions", {}).items()
            if any(fn.get("points", {}).values())]


def check(page, png, expect):
    problems = []
    with open(page, encoding="utf-8", errors="replace") as f:
        html_text = f.read()
    m = FETCHING.search(html_text)
    if m:
        problems.append("page is not self-contained: %r" % m.group(0))
    binary = find_chromium()
    if binary is None:
        print("render check: SKIP: chromium is not installed "
              "(harness/tools/install-deps.sh chromium)")
        return 77
    url = "file://" + os.path.abspath(page)
    if os.path.exists(png):
        os.remove(png)
    # One launch does both: the DOM goes to stdout, the screenshot to png.
    dom, took = run_chromium(binary, ["--screenshot=" + png, "--dump-dom"], url)
    if not os.path.isfile(png):
        problems.append("no screenshot was written")
    else:
        width, height, rows, bpp = png_pixels(png)
        if (width, height) != (WIDTH, HEIGHT):
            problems.append("screenshot is %dx%d, expected %dx%d" % (width, height, WIDTH,
                                                                      HEIGHT))
        colours, top_share = colour_census(rows, bpp)
        print("render check: %s: %dx%d, %d colours, commonest covers %.1f%%"
              % (png, width, height, colours, 100 * top_share))
        if colours < 8 or top_share > 0.985:
            problems.append("screenshot looks blank (%d colours, %.1f%% one colour)"
                            % (colours, 100 * top_share))
    missing = [n for n in expect if n not in dom]
    if missing:
        problems.append("rendered page lacks: %s" % ", ".join(missing))
    # CPU time as well: on a loaded machine the wall time says little.
    print("render check: chromium took %.1f s (%.1f s CPU); %d name(s) checked in the DOM"
          % (took[0], took[1], len(expect)))
    for p in problems:
        print("render check: FAIL: %s" % p)
    return 1 if problems else 0


def main(argv):
    if argv[:1] == ["--page"] and len(argv) >= 2:
        page = os.path.abspath(argv[1])
        rest = argv[2:]
        expect = rest[1:] if rest[:1] == ["--expect"] else []
        png = os.path.splitext(page)[0] + ".png"
    else:
        reports = os.path.abspath(argv[0] if argv else os.path.join(
            os.path.dirname(__file__), "..", "..", "build", "reports"))
        page = os.path.join(reports, "index.html")
        png = os.path.join(reports, "index.png")
        if not os.path.isfile(page):
            print("render check: FAIL: %s does not exist (run harness/tools/summarize.py --reports first)" % page)
            return 1
        expect = expected_names(reports)
        if not expect:
            print("render check: FAIL: summary.json has no function with sweep figures")
            return 1
    try:
        return check(page, png, expect)
    except (RuntimeError, ValueError, OSError, subprocess.TimeoutExpired) as e:
        print("render check: FAIL: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
