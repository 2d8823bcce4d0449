/* The harness's own findings (a leaked block, an allocator misuse, a
 * contract violation) for the report, as one JSON object per line in
 * $MEMHARNESS_REPORT_DIR/findings.jsonl, which harness/report/jsonl.py reads:
 *   {"finding":"check","context":"...","message":"...","pid":N}
 * The console keeps its own human message; the report reads this file. */
#ifndef HARNESS_REPORT_FINDING_H
#define HARNESS_REPORT_FINDING_H

/* Appends one finding: context (the scenario label, may be empty) and
 * message, JSON-escaped.  Returns 0 when written or no report directory is
 * set, -1 when it could not be written (said on stderr). */
int report_finding(const char *context, const char *message);

#endif
