/* A verdict accumulator that knows no test framework: scenarios, sweeps,
 * fuzz targets and the benchmark record contract violations into a
 * check_ctx, and the caller decides how to fail (Criterion assert, abort in
 * a fuzzer, a line in a report). */
#ifndef HARNESS_CHECK_H
#define HARNESS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#define CHECK_MESSAGE_MAX 8192
/* Failures of one check_ctx written to the report's findings.jsonl. */
#define CHECK_FINDINGS_MAX 16

typedef struct check_ctx {
    unsigned failures;
    char context[256];              /* prefixed to every message */
    char message[CHECK_MESSAGE_MAX]; /* the first failures, one per line */
    size_t used;
    unsigned repeats;               /* failures not shown: same text seen before */
} check_ctx;

/* Empties ctx and sets the context prefix (printf-style). */
void check_init(check_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Replaces the context prefix, keeping the failures recorded so far. */
void check_set_context(check_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Records one failure ("<context>: <text>") and counts it; the first
 * CHECK_FINDINGS_MAX of a ctx also go to the report (report_finding.h).
 * The text loses its empty lines (a newline at its end included); a
 * finding a waiver covers (waiver.h) is reported as waived instead. */
void check_fail(check_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends the failures of src to dst. */
void check_merge(check_ctx *dst, const check_ctx *src);
/* Appends each failure line of src to dst as "<label>: <line>", except a
 * line whose text dst already holds under another label: that one is only
 * counted (in failures and repeats), so that one finding repeated by every
 * run of a sweep is shown once. */
void check_merge_labelled(check_ctx *dst, const check_ctx *src, const char *label);
/* True while nothing failed. */
static inline bool check_ok(const check_ctx *ctx) { return ctx->failures == 0; }

/* Records a failure unless cond holds. */
#define CHECK(ctx, cond, ...)              \
    do {                                   \
        if (!(cond))                       \
            check_fail((ctx), __VA_ARGS__); \
    } while (0)

#endif
