/* The misuse record and the words of each report (see tracker_misuse.h).
 * Called with the lock held. */
#include "tracker_misuse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <memharness/callsite.h>

#include "tracker_guard.h"
#include "tracker_poison.h"
#include "tracker_text.h"

const tracker_names tracker_names_cotaskmem = {
    "CoTaskMemFree", "CoTaskMemRealloc", "CoTaskMem block", "memory from malloc",
};

void misuse_record(const char *fmt, ...)
{
    if (tracker_st.misuse.count < MISUSE_KEPT) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(tracker_st.misuse.texts[tracker_st.misuse.count], MISUSE_TEXT_MAX, fmt, ap);
        va_end(ap);
    }
    tracker_st.misuse.count++;
}

void report_overrun(const block_hdr *h)
{
    size_t i = first_changed(h->user + h->size, h->guard, GUARD_BYTE);
    if (i < h->guard) {
        char what[1000];
        describe_block(h, what, sizeof what);
        misuse_record("heap overrun: byte %zu past the end of %s was written (found when it "
                      "was freed)",
                      i, what);
    }
}

void report_write_after_free(block_hdr *h)
{
    size_t span = poison_span(h->size, store_mode == 0, h->guard == GUARD_SIZE);
    size_t i = first_changed(h->user, span, TRACKER_POISON_FREED);
    if (i < span) {
        char what[1000];
        describe_block(h, what, sizeof what);
        misuse_record("write after free: byte %zu of %s changed after it was freed", i, what);
        memset(h->user, TRACKER_POISON_FREED, span);
    }
}

/* The live block whose bytes hold p, if any: a scan, for misuse reports
 * only. */
static block_hdr *live_block_around(const void *p)
{
    const unsigned char *u = p;
    for (block_hdr *h = tracker_st.live.next; h != &tracker_st.live; h = h->next)
        if (u > h->user && u < h->user + h->size)
            return h;
    return NULL;
}

/* The CoTaskMem seam keeps the wording its users and the report's readers
 * have always seen. */
void report_bad_pointer(const char *op, const tracker_names *names, const void *ptr,
                        const void *site)
{
    char here[600];
    callsite_describe(site, here, sizeof here);
    block_hdr *h = store_find(ptr);
    block_hdr *around = NULL;
    if (h != NULL && hdr_is(h, HDR_FREED)) {
        char what[1000], first[600];
        describe_block(h, what, sizeof what);
        callsite_describe(h->free_site, first, sizeof first);
        misuse_record("%s of a freed pointer (double free) at %s: %s, first freed at %s", op, here,
                      what, first);
    } else if (names == &tracker_names_cotaskmem) {
        misuse_record("%s of %p at %s: not a live %s (never allocated by it, an interior pointer, "
                      "or %s)",
                      op, ptr, here, names->block, names->foreign);
    } else if ((around = live_block_around(ptr)) != NULL) {
        char what[1000];
        describe_block(around, what, sizeof what);
        misuse_record("%s of %p at %s: an interior pointer, %zu bytes into %s", op, ptr, here,
                      (size_t)((const unsigned char *)ptr - around->user), what);
    } else {
        misuse_record("%s of %p at %s: not a live %s nor inside one: %s", op, ptr, here,
                      names->block, names->foreign);
    }
}
