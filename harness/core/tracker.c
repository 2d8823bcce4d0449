/* The tracking allocator (see tracker.h).
 *
 * Live blocks sit in an open-addressing hash table keyed by address (linear
 * probing, backward-shift deletion, so no tombstones slow the hot path).
 * Freed blocks are poisoned and held in a FIFO quarantine before the C
 * allocator gets them back: a stale pointer then reads poison rather than a
 * recycled block, a double free can name the block's history, and a write
 * after free shows when the block leaves quarantine with its poison changed.
 * Under AddressSanitizer and Valgrind the quarantine is also marked
 * inaccessible to the tool, and our guard bytes are left out so that the
 * tool's own redzones sit right at the end of each block. */
#include <memharness/tracker.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "asan_detect.h"
#include <memharness/callsite.h>
#include <memharness/fault.h>

#ifdef HARNESS_ASAN
#include <sanitizer/asan_interface.h>
#define TOOL_NOACCESS(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define TOOL_ACCESS(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define UNDER_TOOL() 1
#elif defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define TOOL_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define TOOL_ACCESS(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#define UNDER_TOOL() (RUNNING_ON_VALGRIND != 0)
#endif
#endif
#ifndef UNDER_TOOL
#define TOOL_NOACCESS(p, n) ((void)(p), (void)(n))
#define TOOL_ACCESS(p, n) ((void)(p), (void)(n))
#define UNDER_TOOL() 0
#endif

#define GUARD_SIZE 16
#define GUARD_BYTE 0xFB
#define QUARANTINE_SLOTS 1024
#define QUARANTINE_MAX_BYTES ((size_t)8 << 20)
#define ERRORS_KEPT 16
#define ERROR_TEXT_MAX 600

typedef struct freed_block {
    tracker_block block;
    const void *free_site;
} freed_block;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Live table. */
static tracker_block *table;
static size_t table_cap; /* power of two */
static size_t live_count;
static size_t live_bytes;

static uint64_t next_seq = 1;
static uint64_t alloc_total;
static uint64_t free_total;

/* Quarantine ring. */
static freed_block quarantine[QUARANTINE_SLOTS];
static size_t q_head; /* oldest */
static size_t q_len;
static size_t q_bytes;

/* Misuse record. */
static size_t error_count;
static char error_texts[ERRORS_KEPT][ERROR_TEXT_MAX];

/* Journal. */
static bool journal_on;
static tracker_event *journal_events;
static size_t journal_len;
static size_t journal_cap;

/* -1 unknown, 0 no, 1 yes: decided once, the answer cannot change. */
static int guards_state = -1;

static size_t guard_size(void)
{
    if (guards_state < 0)
        guards_state = UNDER_TOOL() ? 0 : 1;
    return guards_state ? GUARD_SIZE : 0;
}

bool tracker_guards_enabled(void)
{
    return guard_size() != 0;
}

static size_t hash_ptr(const void *p)
{
    uintptr_t x = (uintptr_t)p >> 4;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 7);
}

static bool table_grow(void)
{
    size_t new_cap = table_cap ? table_cap * 2 : 1024;
    tracker_block *fresh = calloc(new_cap, sizeof *fresh);
    if (fresh == NULL)
        return false;
    for (size_t i = 0; i < table_cap; i++) {
        if (table[i].ptr == NULL)
            continue;
        size_t j = hash_ptr(table[i].ptr) & (new_cap - 1);
        while (fresh[j].ptr != NULL)
            j = (j + 1) & (new_cap - 1);
        fresh[j] = table[i];
    }
    free(table);
    table = fresh;
    table_cap = new_cap;
    return true;
}

static tracker_block *table_find(const void *p)
{
    if (table_cap == 0)
        return NULL;
    size_t i = hash_ptr(p) & (table_cap - 1);
    while (table[i].ptr != NULL) {
        if (table[i].ptr == p)
            return &table[i];
        i = (i + 1) & (table_cap - 1);
    }
    return NULL;
}

static bool table_insert(const tracker_block *b)
{
    if ((live_count + 1) * 2 > table_cap && !table_grow())
        return false;
    size_t i = hash_ptr(b->ptr) & (table_cap - 1);
    while (table[i].ptr != NULL)
        i = (i + 1) & (table_cap - 1);
    table[i] = *b;
    live_count++;
    live_bytes += b->size;
    return true;
}

/* Backward-shift deletion keeps every probe chain unbroken. */
static void table_remove(tracker_block *slot)
{
    size_t mask = table_cap - 1;
    size_t hole = (size_t)(slot - table);
    live_count--;
    live_bytes -= slot->size;
    size_t i = hole;
    for (;;) {
        i = (i + 1) & mask;
        if (table[i].ptr == NULL)
            break;
        size_t home = hash_ptr(table[i].ptr) & mask;
        /* Move i into the hole unless its home lies cyclically in (hole, i]. */
        bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
        if (!stays) {
            table[hole] = table[i];
            hole = i;
        }
    }
    table[hole].ptr = NULL;
}

static void record_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void record_error(const char *fmt, ...)
{
    if (error_count < ERRORS_KEPT) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(error_texts[error_count], ERROR_TEXT_MAX, fmt, ap);
        va_end(ap);
    }
    error_count++;
}

static void journal_add(tracker_event_kind kind, const tracker_block *b, const void *site)
{
    if (!journal_on)
        return;
    if (journal_len == journal_cap) {
        size_t cap = journal_cap ? journal_cap * 2 : 256;
        tracker_event *grown = realloc(journal_events, cap * sizeof *grown);
        if (grown == NULL) {
            record_error("tracker journal: out of memory, events lost");
            journal_on = false;
            return;
        }
        journal_events = grown;
        journal_cap = cap;
    }
    tracker_event *ev = &journal_events[journal_len++];
    ev->kind = kind;
    if (b != NULL)
        ev->block = *b;
    else
        memset(&ev->block, 0, sizeof ev->block);
    ev->site = site;
}

static void describe_block(const tracker_block *b, char *buf, size_t len)
{
    char where[600];
    callsite_describe(b->site, where, sizeof where);
    snprintf(buf, len, "block #%llu (%zu bytes) allocated at %s", (unsigned long long)b->seq,
             b->size, where);
}

/* Index of the first byte of p[0, n) that is not b, or n.  A word at a time:
 * every free checks the guard and every eviction scans the whole block, so
 * a byte loop here was the tracker's largest cost (see harness/bench). */
static size_t first_changed(const unsigned char *p, size_t n, unsigned char b)
{
    const uint64_t pattern = 0x0101010101010101ull * b;
    size_t i = 0;
    for (; i + sizeof pattern <= n; i += sizeof pattern) {
        uint64_t word;
        memcpy(&word, p + i, sizeof word);
        if (word != pattern)
            break;
    }
    while (i < n && p[i] == b)
        i++;
    return i;
}

static void check_guard(const tracker_block *b, const char *when)
{
    size_t g = guard_size();
    size_t i = first_changed((const unsigned char *)b->ptr + b->size, g, GUARD_BYTE);
    if (i < g) {
        char what[900];
        describe_block(b, what, sizeof what);
        record_error("heap overrun: byte %zu past the end of %s was written (found %s)", i,
                     what, when);
    }
}

/* Records a write after free into a quarantined block, then restores the
 * poison so that the same write is reported once. */
static void quarantine_audit_block(freed_block *f)
{
    size_t i = first_changed(f->block.ptr, f->block.size, TRACKER_POISON_FREED);
    if (i < f->block.size) {
        char what[900];
        describe_block(&f->block, what, sizeof what);
        record_error("write after free: byte %zu of %s changed after it was freed", i, what);
        memset(f->block.ptr, TRACKER_POISON_FREED, f->block.size);
    }
}

/* Audits every quarantined block, so that a verdict taken at the end of a
 * case sees writes after free into blocks not yet evicted.  Under ASan and
 * Valgrind the blocks are inaccessible and the tool reports such writes. */
static void quarantine_audit_locked(void)
{
    if (!tracker_guards_enabled())
        return;
    for (size_t n = 0; n < q_len; n++)
        quarantine_audit_block(&quarantine[(q_head + n) % QUARANTINE_SLOTS]);
}

/* Returns the oldest quarantined block to the C allocator, first checking
 * that nobody wrote into it after it was freed. */
static void quarantine_evict(void)
{
    freed_block *f = &quarantine[q_head];
    size_t total = f->block.size + guard_size();
    TOOL_ACCESS(f->block.ptr, total);
    quarantine_audit_block(f);
    free(f->block.ptr);
    q_bytes -= f->block.size;
    q_head = (q_head + 1) % QUARANTINE_SLOTS;
    q_len--;
}

static void quarantine_push(const tracker_block *b, const void *free_site)
{
    while (q_len > 0 && (q_len == QUARANTINE_SLOTS || q_bytes + b->size > QUARANTINE_MAX_BYTES))
        quarantine_evict();
    size_t total = b->size + guard_size();
    memset(b->ptr, TRACKER_POISON_FREED, b->size);
    TOOL_NOACCESS(b->ptr, total);
    freed_block *f = &quarantine[(q_head + q_len) % QUARANTINE_SLOTS];
    f->block = *b;
    f->free_site = free_site;
    q_len++;
    q_bytes += b->size;
}

static const freed_block *quarantine_find(const void *p)
{
    /* Newest first: the most recent history of an address is the relevant one. */
    for (size_t n = q_len; n > 0; n--) {
        const freed_block *f = &quarantine[(q_head + n - 1) % QUARANTINE_SLOTS];
        if (f->block.ptr == p)
            return f;
    }
    return NULL;
}

static void report_bad_pointer(const char *op, const void *ptr, const void *site)
{
    char here[600];
    callsite_describe(site, here, sizeof here);
    const freed_block *f = quarantine_find(ptr);
    if (f != NULL) {
        char what[900], first[600];
        describe_block(&f->block, what, sizeof what);
        callsite_describe(f->free_site, first, sizeof first);
        record_error("%s of a freed pointer (double free) at %s: %s, first freed at %s", op, here,
                     what, first);
    } else {
        record_error("%s of %p at %s: not a live CoTaskMem block (never allocated by it, "
                     "an interior pointer, or memory from malloc)",
                     op, ptr, here);
    }
    tracker_block b = {.ptr = (void *)ptr, .size = 0, .seq = 0, .site = NULL};
    journal_add(TRACKER_EV_BAD_FREE, &b, site);
}

/* Allocates and registers a block; lock held. */
static void *alloc_locked(size_t size, const void *site)
{
    size_t g = guard_size();
    if (size > SIZE_MAX - g - 1)
        return NULL;
    unsigned char *p = malloc(size + g ? size + g : 1);
    if (p == NULL)
        return NULL;
    memset(p, TRACKER_POISON_NEW, size);
    memset(p + size, GUARD_BYTE, g);
    tracker_block b = {.ptr = p, .size = size, .seq = next_seq, .site = site};
    if (!table_insert(&b)) {
        free(p);
        return NULL;
    }
    next_seq++;
    alloc_total++;
    journal_add(TRACKER_EV_ALLOC, &b, site);
    return p;
}

/* Unregisters and quarantines a live block; lock held. */
static void free_locked(tracker_block *slot, const void *site)
{
    tracker_block b = *slot;
    check_guard(&b, "when it was freed");
    table_remove(slot);
    free_total++;
    journal_add(TRACKER_EV_FREE, &b, site);
    quarantine_push(&b, site);
}

void *tracker_alloc(size_t size, const void *site)
{
    if (fault_should_fail(site)) {
        pthread_mutex_lock(&lock);
        journal_add(TRACKER_EV_FAILED_ALLOC, NULL, site);
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    void *p = alloc_locked(size, site);
    pthread_mutex_unlock(&lock);
    return p;
}

void tracker_free(void *ptr, const void *site)
{
    if (ptr == NULL)
        return;
    pthread_mutex_lock(&lock);
    tracker_block *slot = table_find(ptr);
    if (slot == NULL)
        report_bad_pointer("CoTaskMemFree", ptr, site);
    else
        free_locked(slot, site);
    pthread_mutex_unlock(&lock);
}

void *tracker_realloc(void *ptr, size_t size, const void *site)
{
    if (ptr == NULL)
        return tracker_alloc(size, site);
    if (size == 0) {
        tracker_free(ptr, site);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    tracker_block *slot = table_find(ptr);
    if (slot == NULL) {
        report_bad_pointer("CoTaskMemRealloc", ptr, site);
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    pthread_mutex_unlock(&lock);

    /* Ask the injector outside the lock, like any allocation; a refusal
     * leaves the old block live and untouched. */
    if (fault_should_fail(site)) {
        pthread_mutex_lock(&lock);
        journal_add(TRACKER_EV_FAILED_ALLOC, NULL, site);
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    slot = table_find(ptr); /* the table may have moved meanwhile */
    if (slot == NULL) {
        report_bad_pointer("CoTaskMemRealloc", ptr, site);
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    size_t old_size = slot->size;
    /* Always move, so that a caller keeping the old pointer is caught. */
    void *fresh = alloc_locked(size, site);
    if (fresh != NULL) {
        slot = table_find(ptr); /* alloc_locked may have grown the table */
        memcpy(fresh, ptr, old_size < size ? old_size : size);
        free_locked(slot, site);
    }
    pthread_mutex_unlock(&lock);
    return fresh;
}

void tracker_reset(void)
{
    pthread_mutex_lock(&lock);
    /* An empty table is not scanned: fuzz targets reset per input, and the
     * scan of a mostly empty table was a quarter of their time. */
    for (size_t i = 0; live_count > 0 && i < table_cap; i++) {
        if (table[i].ptr != NULL) {
            free(table[i].ptr);
            table[i].ptr = NULL;
        }
    }
    live_count = 0;
    live_bytes = 0;
    while (q_len > 0)
        quarantine_evict();
    q_head = 0;
    error_count = 0;
    next_seq = 1;
    alloc_total = 0;
    free_total = 0;
    journal_on = false;
    journal_len = 0;
    pthread_mutex_unlock(&lock);
}

size_t tracker_live_count(void)
{
    pthread_mutex_lock(&lock);
    size_t n = live_count;
    pthread_mutex_unlock(&lock);
    return n;
}

size_t tracker_live_bytes(void)
{
    pthread_mutex_lock(&lock);
    size_t n = live_bytes;
    pthread_mutex_unlock(&lock);
    return n;
}

uint64_t tracker_next_seq(void)
{
    pthread_mutex_lock(&lock);
    uint64_t n = next_seq;
    pthread_mutex_unlock(&lock);
    return n;
}

uint64_t tracker_alloc_total(void)
{
    pthread_mutex_lock(&lock);
    uint64_t n = alloc_total;
    pthread_mutex_unlock(&lock);
    return n;
}

uint64_t tracker_free_total(void)
{
    pthread_mutex_lock(&lock);
    uint64_t n = free_total;
    pthread_mutex_unlock(&lock);
    return n;
}

bool tracker_lookup(const void *ptr, tracker_block *out)
{
    pthread_mutex_lock(&lock);
    tracker_block *slot = table_find(ptr);
    if (slot != NULL && out != NULL)
        *out = *slot;
    pthread_mutex_unlock(&lock);
    return slot != NULL;
}

static int by_seq(const void *a, const void *b)
{
    uint64_t x = ((const tracker_block *)a)->seq, y = ((const tracker_block *)b)->seq;
    return (x > y) - (x < y);
}

size_t tracker_live_since(uint64_t min_seq, tracker_block *out, size_t max)
{
    pthread_mutex_lock(&lock);
    size_t found = 0;
    tracker_block *all = live_count ? malloc(live_count * sizeof *all) : NULL;
    for (size_t i = 0; i < table_cap; i++) {
        if (table[i].ptr != NULL && table[i].seq >= min_seq) {
            if (all != NULL)
                all[found] = table[i];
            found++;
        }
    }
    pthread_mutex_unlock(&lock);
    if (all != NULL) {
        qsort(all, found, sizeof *all, by_seq);
        if (out != NULL && max > 0)
            memcpy(out, all, (found < max ? found : max) * sizeof *all);
        free(all);
    }
    return found;
}

size_t tracker_error_count(void)
{
    pthread_mutex_lock(&lock);
    quarantine_audit_locked();
    size_t n = error_count;
    pthread_mutex_unlock(&lock);
    return n;
}

const char *tracker_error_text(size_t i)
{
    pthread_mutex_lock(&lock);
    const char *t = i < error_count && i < ERRORS_KEPT ? error_texts[i] : NULL;
    pthread_mutex_unlock(&lock);
    return t;
}

size_t tracker_format_leaks(char *buf, size_t len, uint64_t min_seq)
{
    size_t n = tracker_live_since(min_seq, NULL, 0);
    if (len > 0)
        buf[0] = '\0';
    if (n == 0)
        return 0;
    tracker_block *blocks = malloc(n * sizeof *blocks);
    if (blocks == NULL)
        return n;
    n = tracker_live_since(min_seq, blocks, n);
    size_t used = 0;
    for (size_t i = 0; i < n && used + 1 < len; i++) {
        char what[900];
        describe_block(&blocks[i], what, sizeof what);
        int w = snprintf(buf + used, len - used, "%sleaked %s", i ? "\n" : "", what);
        if (w < 0)
            break;
        used += (size_t)w < len - used ? (size_t)w : len - used - 1;
    }
    free(blocks);
    return n;
}

size_t tracker_report_leaks(FILE *f, uint64_t min_seq)
{
    char buf[16384];
    size_t n = tracker_format_leaks(buf, sizeof buf, min_seq);
    if (n > 0)
        fprintf(f, "%s\n", buf);
    return n;
}

void tracker_journal_start(void)
{
    pthread_mutex_lock(&lock);
    journal_len = 0;
    journal_on = true;
    pthread_mutex_unlock(&lock);
}

void tracker_journal_stop(void)
{
    pthread_mutex_lock(&lock);
    journal_on = false;
    pthread_mutex_unlock(&lock);
}

const tracker_event *tracker_journal(size_t *count)
{
    pthread_mutex_lock(&lock);
    *count = journal_len;
    const tracker_event *ev = journal_events;
    pthread_mutex_unlock(&lock);
    return ev;
}
