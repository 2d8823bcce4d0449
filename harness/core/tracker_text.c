/* Blocks as the API shows them (see tracker_text.h). */
#include "tracker_text.h"

#include <stdio.h>
#include <string.h>

#include <memharness/callsite.h>

void block_copy(const block_hdr *h, tracker_block *b)
{
    b->ptr = h->user;
    b->size = h->size;
    b->seq = h->seq;
    b->depth = h->depth;
    /* A header's frames past its depth are stale (the fast path does not
     * clear them); the copy has them NULL. */
    memset(b->stack, 0, sizeof b->stack);
    memcpy(b->stack, h->stack, h->depth * sizeof b->stack[0]);
    b->site = h->depth ? h->stack[0] : NULL;
}

void tracker_describe_stack(const tracker_block *b, char *buf, size_t len)
{
    if (b->depth == 0)
        callsite_describe(b->site, buf, len);
    else
        callsite_describe_stack(b->stack, b->depth, buf, len);
}

void describe_block(const block_hdr *h, char *buf, size_t len)
{
    tracker_block b;
    block_copy(h, &b);
    char where[900];
    tracker_describe_stack(&b, where, sizeof where);
    snprintf(buf, len, "block #%llu (%zu bytes) allocated at %s", (unsigned long long)h->seq,
             h->size, where);
}
