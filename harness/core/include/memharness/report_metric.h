/* Figures a test hands to the report (fault points swept, shapes checked),
 * written as one JSON object per line to $MEMHARNESS_REPORT_DIR/metrics.jsonl,
 * which harness/report/jsonl.py reads.  Not console text: a figure needs
 * no parsing and cannot be mistaken for a test's output. */
#ifndef HARNESS_REPORT_METRIC_H
#define HARNESS_REPORT_METRIC_H

/* Appends one line holding the JSON object the format makes (it must make
 * exactly one object, with a string member "metric").  Returns 0 when the
 * line was written or no report directory is set (a run outside make
 * check), -1 when it could not be written (said on stderr). */
int report_metric(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
