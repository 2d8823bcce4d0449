"""What a tool wrapper judged, said twice: a "TOOL-REPORT: text" line on
the console for the reader of the test log, and the same text as a JSON
line in the run's verdict.jsonl, which the report reads."""
import sys

from . import jsonl


def emit(directory, source, text):
    """Prints one verdict line and records it in directory/verdict.jsonl."""
    print("TOOL-REPORT: " + text)
    sys.stdout.flush()
    jsonl.append(directory, {"report": source, "text": text})
