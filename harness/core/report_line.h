/* The one writer of the report directory's JSON-lines files (metrics.jsonl,
 * findings.jsonl), private to the reporting layer. */
#ifndef HARNESS_REPORT_LINE_H
#define HARNESS_REPORT_LINE_H

#include <stddef.h>

/* Appends line (len bytes, ending in '\n') to $MEMHARNESS_REPORT_DIR/file in
 * one write.  Returns 0 when written or no report directory is set, -1
 * when it could not be written (said on stderr, prefixed by who). */
int report_append_line(const char *who, const char *file, const char *line, size_t len);

#endif
