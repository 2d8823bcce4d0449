/* The allocation rules every CoTaskMem* seam obeys (docs/CONTRACT.md section 2),
 * as one checker run against lib's default seam and the harness's tracked
 * one alike, so the two cannot drift apart. */
#ifndef SUITES_SEAM_RULES_H
#define SUITES_SEAM_RULES_H

#include <stddef.h>

#include <memharness/check.h>

/* What only some seams can offer the checker; NULL members are skipped. */
typedef struct seam_probe {
    /* Makes the next allocation fail (growth failure rule). */
    void (*fail_next_alloc)(void);
    /* Undoes fail_next_alloc whether or not it fired. */
    void (*stop_failing)(void);
    /* Blocks the seam holds live right now (proves Realloc(p, 0) frees). */
    size_t (*live_blocks)(void);
} seam_probe;

/* Checks every section 2 rule through CoTaskMemAlloc/Realloc/Free,
 * recording violations in ctx; frees everything it allocated. */
void seam_rules_check(check_ctx *ctx, const seam_probe *probe);

#endif
