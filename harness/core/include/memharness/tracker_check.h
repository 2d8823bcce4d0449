/* The tracker's verdict as check_ctx failures: what every case, sweep run and
 * fuzz input demands of any API before it is reset, in one wording for every
 * client ("N block(s) leaked:", "allocator misuse: ...").  The report reads
 * them from findings.jsonl (check_fail), never from this text. */
#ifndef HARNESS_TRACKER_CHECK_H
#define HARNESS_TRACKER_CHECK_H

#include <memharness/check.h>

/* Records every misuse the tracker saw since its last reset. */
void tracker_check_misuse(check_ctx *ctx);
/* Records every block still live, with its allocating call site, and every
 * misuse, since the tracker's last reset. */
void tracker_check_clean(check_ctx *ctx);

#endif
