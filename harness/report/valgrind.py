"""Memcheck's XML report (--xml=yes --xml-file=DIR/vg.%p.xml, one file per
process with --child-silent-after-fork=yes): errors with their stacks,
a fatal signal, and the suppressions used."""
import os
import xml.etree.ElementTree as ET

from . import frames as framelib

LEAK_KINDS = ("Leak_DefinitelyLost", "Leak_IndirectlyLost", "Leak_PossiblyLost",
              "Leak_StillReachable")


def _frames(stack):
    out = []
    for fr in stack.findall("frame") if stack is not None else ():
        place = ""
        if fr.findtext("file"):
            place = "%s:%s" % (fr.findtext("file"), fr.findtext("line") or "?")
        out.append((fr.findtext("fn") or "???", place))
    return out


def _error(el):
    """One <error> as a finding dict."""
    kind = el.findtext("kind") or "?"
    xwhat = el.find("xwhat")
    head = (xwhat.findtext("text") if xwhat is not None else el.findtext("what")) or kind
    # "... in loss record 3 of 7" differs between runs of the same leak.
    head = head.split(" in loss record ")[0]
    frames = _frames(el.find("stack"))
    leaked = int(xwhat.findtext("leakedbytes") or 0) if xwhat is not None else 0
    return {"tool": "valgrind", "kind": kind, "headline": head, "frames": frames,
            "site": framelib.first_own(frames), "leak": kind in LEAK_KINDS,
            "bytes": leaked}


def _fatal(el):
    frames = _frames(el.find("stack"))
    head = "Process terminating with default action of signal %s (%s)" % (
        el.findtext("signo") or "?", el.findtext("signame") or "?")
    return {"tool": "valgrind", "kind": "FatalSignal", "headline": head, "frames": frames,
            "site": framelib.first_own(frames), "leak": False, "bytes": 0}


def read(path):
    """(findings, suppressions used {name: count}, note) of one XML file.
    A file cut short (a process killed by SIGKILL) still yields every
    error it completed; note then says so (else "")."""
    findings, supp, note = [], {}, ""
    try:
        for _, el in ET.iterparse(path, events=("end",)):
            if el.tag == "error":
                findings.append(_error(el))
            elif el.tag == "fatal_signal":
                findings.append(_fatal(el))
            elif el.tag == "pair" and el.findtext("name"):
                supp[el.findtext("name")] = int(el.findtext("count") or 0)
    except ET.ParseError as e:
        note = "%s: cut short (%s)" % (path, e)
    except OSError as e:
        note = "%s: %s" % (path, e)
    return findings, supp, note


def read_dir(directory):
    """(findings, suppressions used, notes) of every vg.*.xml in directory,
    each finding with its "file"."""
    findings, supp, notes = [], {}, []
    for name in sorted(os.listdir(directory)):
        if not (name.startswith("vg.") and name.endswith(".xml")):
            continue
        path = os.path.join(directory, name)
        found, used, note = read(path)
        findings += [dict(f, file=path) for f in found]
        for k, v in used.items():
            supp[k] = supp.get(k, 0) + v
        if note:
            notes.append(note)
    return findings, supp, notes


def error_text(finding):
    """A finding as a few readable lines (headline and stack)."""
    lines = [finding["headline"]]
    for i, (func, place) in enumerate(finding["frames"]):
        lines.append("   %s %s%s" % ("at" if i == 0 else "by", func,
                                     " (%s)" % place if place else ""))
    return "\n".join(lines)
