/* The quarantine's general half (see tracker_quarantine.h).  Under
 * AddressSanitizer and Valgrind the quarantined blocks are also marked
 * inaccessible to the tool, which then reports a write after free itself. */
#include "tracker_quarantine.h"

#include "asan_detect.h"

#ifdef HARNESS_ASAN
#include <sanitizer/asan_interface.h>
#define TOOL_NOACCESS(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define TOOL_ACCESS(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#elif defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define TOOL_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define TOOL_ACCESS(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#endif
#endif
#ifndef TOOL_NOACCESS
#define TOOL_NOACCESS(p, n) ((void)(p), (void)(n))
#define TOOL_ACCESS(p, n) ((void)(p), (void)(n))
#endif

void quarantine_evict(void)
{
    block_hdr *h = quarantine_oldest();
    if (under_tool()) /* a client request costs a dozen instructions even unused */
        TOOL_ACCESS(h->user, h->size);
    quarantine_audit_block(h, store_mode == 0);
    store_put(quarantine_take_oldest());
}

void quarantine_push(block_hdr *h)
{
    const struct tracker_quarantine *q = &tracker_st.quarantine;
    while (q->len > 0 &&
           (q->len == QUARANTINE_SLOTS || q->bytes + quarantine_bytes(h->size) > QUARANTINE_MAX_BYTES))
        quarantine_evict();
    if (under_tool())
        TOOL_NOACCESS(h->user, h->size);
    quarantine_append(h);
}

/* Under ASan and Valgrind the blocks are inaccessible: the tool reports
 * such writes. */
void quarantine_audit_locked(void)
{
    if (store_uses_malloc())
        return;
    const struct tracker_quarantine *q = &tracker_st.quarantine;
    for (size_t n = 0; n < q->len; n++)
        quarantine_audit_block(q->slots[(q->head + n) & (QUARANTINE_SLOTS - 1)], true);
}
