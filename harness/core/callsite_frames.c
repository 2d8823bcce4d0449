/* Which code keeps frame pointers, read from the unwind tables every
 * loaded object carries (.eh_frame, indexed by .eh_frame_hdr).
 *
 * A function keeps a frame record exactly when its call frame information
 * defines the CFA through the frame pointer register (x86-64: rbp,
 * DWARF register 6): push %rbp; mov %rsp,%rbp leaves that rule, and code
 * built without frame pointers never states it, whatever it keeps in rbp.
 * The rules are read rather than the first bytes of each function, because
 * gcc schedules other instructions into the prologue.
 *
 * Once per process (at the first capture that asks), the program's own
 * functions are classified, and its longest runs of adjacent functions that
 * all keep frame records (or call nothing, or are the outermost frame,
 * _start) become callsite_fp_runs, the table the walk checks each return
 * address against.  A run ends at any function that does not keep one, and
 * at a stretch of code without unwind rules longer than crt's few helpers
 * (which keep rbp or call nothing).  Only the program's: that is where the
 * code under test and its tests are, and one compare then tells a library
 * frame apart.  Code elsewhere (every library, whatever it keeps) takes the
 * slow capture, which unwinds from the same rules (callsite_step).
 * Only x86-64 is classified; elsewhere the table stays empty and every
 * stack is the DWARF unwinder's. */
#include "callsite_walk.h"

#include <memharness/callsite.h>

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

callsite_run callsite_fp_runs[CALLSITE_FP_RUNS];
callsite_run callsite_fp_after_first;

#if defined(__x86_64__)
#define FP_REGISTER 6 /* rbp */
#define CAN_CLASSIFY 1
#else
#define FP_REGISTER (-1)
#define CAN_CLASSIFY 0
#endif

/* Code without unwind rules between two functions of a run, at most: crt's
 * deregister_tm_clones, register_tm_clones, __do_global_dtors_aux and
 * frame_dummy, between _start and the program's code. */
#define GAP_MAX 256

/* ---- reading .eh_frame --------------------------------------------------- */

typedef struct reader {
    const unsigned char *p;
    const unsigned char *end;
    bool bad;
} reader;

static uint64_t uleb(reader *r)
{
    uint64_t v = 0;
    unsigned shift = 0;
    for (;;) {
        if (r->p >= r->end) {
            r->bad = true;
            return 0;
        }
        unsigned char b = *r->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80))
            return v;
    }
}

static int64_t sleb(reader *r)
{
    int64_t v = 0;
    unsigned shift = 0;
    unsigned char b;
    do {
        if (r->p >= r->end) {
            r->bad = true;
            return 0;
        }
        b = *r->p++;
        if (shift < 64)
            v |= (int64_t)((uint64_t)(b & 0x7f) << shift);
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40))
        v |= -((int64_t)1 << shift);
    return v;
}

static void skip(reader *r, uint64_t n)
{
    if (n > (uint64_t)(r->end - r->p)) {
        r->bad = true;
        r->p = r->end;
        return;
    }
    r->p += n;
}

static uint64_t fixed(reader *r, unsigned n)
{
    uint64_t v = 0;
    if ((size_t)(r->end - r->p) < n) {
        r->bad = true;
        r->p = r->end;
        return 0;
    }
    memcpy(&v, r->p, n); /* little-endian: x86-64 is the only reader */
    r->p += n;
    return v;
}

/* A pointer in DW_EH_PE encoding enc (absolute, pc-relative or plain;
 * indirect and segment-relative ones are refused as bad). */
static uintptr_t encoded(reader *r, unsigned char enc)
{
    const unsigned char *at = r->p;
    uint64_t v;
    switch (enc & 0x0f) {
    case 0x00: v = fixed(r, sizeof(void *)); break;
    case 0x01: v = uleb(r); break;
    case 0x02: v = fixed(r, 2); break;
    case 0x03: v = fixed(r, 4); break;
    case 0x04: v = fixed(r, 8); break;
    case 0x09: v = (uint64_t)sleb(r); break;
    case 0x0a: v = (uint64_t)(int64_t)(int16_t)fixed(r, 2); break;
    case 0x0b: v = (uint64_t)(int64_t)(int32_t)fixed(r, 4); break;
    case 0x0c: v = fixed(r, 8); break;
    default: r->bad = true; return 0;
    }
    switch (enc & 0x70) {
    case 0x00: break;
    case 0x10: v += (uintptr_t)at; break;
    default: r->bad = true; return 0;
    }
    if (enc & 0x80)
        r->bad = true;
    return (uintptr_t)v;
}

typedef enum fde_kind {
    FDE_BAD,       /* unreadable: treated as not keeping frame pointers */
    FDE_FP,        /* defines the CFA through the frame pointer */
    FDE_FRAMELESS, /* never moves the CFA: calls nothing (a leaf, a tail jump) */
    FDE_OUTERMOST, /* no return address (_start): only a library calls out of it */
    FDE_NO_FP,     /* everything else */
} fde_kind;

/* Scans call frame instructions: whether one defines the CFA through the
 * frame pointer register, or none changes it at all.  The latter function
 * never holds a return address (a call needs the stack aligned, which
 * moves the CFA's offset from the stack pointer), so it does not break a
 * run: -fno-omit-frame-pointer leaves leaves and tail jumps frameless.
 * Every opcode's operands are skipped exactly, so that an operand byte is
 * never read as an opcode. */
static fde_kind scan_cfa(reader *r, unsigned char fde_enc)
{
    bool fp = false, moves = false, outermost = false;
    while (r->p < r->end && !r->bad) {
        unsigned char op = *r->p++;
        switch (op & 0xc0) {
        case 0x40: continue;            /* advance_loc */
        case 0x80: uleb(r); continue;   /* offset */
        case 0xc0: continue;            /* restore */
        default: break;
        }
        uint64_t reg;
        switch (op) {
        case 0x00: case 0x0a: case 0x0b: break;          /* nop, remember/restore_state */
        case 0x01: encoded(r, fde_enc); break;           /* set_loc */
        case 0x02: skip(r, 1); break;
        case 0x03: skip(r, 2); break;
        case 0x04: skip(r, 4); break;
        case 0x05: case 0x09: case 0x14: case 0x2f:      /* two ULEB operands */
            uleb(r); uleb(r); break;
        case 0x06: case 0x08: case 0x2e:                 /* one ULEB operand */
            uleb(r); break;
        case 0x07:                                       /* undefined */
            outermost |= uleb(r) == 16;                  /* the return address */
            break;
        case 0x0e:                                       /* def_cfa_offset */
            uleb(r); moves = true; break;
        case 0x0c:                                       /* def_cfa reg, offset */
            reg = uleb(r); uleb(r);
            fp |= reg == (uint64_t)FP_REGISTER;
            moves = true;
            break;
        case 0x0d:                                       /* def_cfa_register */
            reg = uleb(r);
            fp |= reg == (uint64_t)FP_REGISTER;
            moves = true;
            break;
        case 0x12:                                       /* def_cfa_sf */
            reg = uleb(r); sleb(r);
            fp |= reg == (uint64_t)FP_REGISTER;
            moves = true;
            break;
        case 0x11: case 0x15: uleb(r); sleb(r); break;   /* offset_extended_sf, val_offset_sf */
        case 0x13: sleb(r); moves = true; break;         /* def_cfa_offset_sf */
        case 0x0f: skip(r, uleb(r)); moves = true; break; /* def_cfa_expression */
        case 0x10: case 0x16: uleb(r); skip(r, uleb(r)); break; /* (val_)expression */
        default: r->bad = true; break;
        }
    }
    if (r->bad)
        return FDE_BAD;
    return fp ? FDE_FP : outermost ? FDE_OUTERMOST : moves ? FDE_NO_FP : FDE_FRAMELESS;
}

/* An FDE and its CIE, read far enough to run their instructions. */
typedef struct fde_info {
    uintptr_t begin, len;         /* the function's code */
    unsigned char enc;            /* pointer encoding of the FDE */
    uint64_t code_align;
    int64_t data_align;
    uint64_t ra_reg;              /* the return address column */
    const unsigned char *cie_ins, *cie_end; /* rules at the function's start */
    const unsigned char *fde_ins, *fde_end; /* the function's own */
} fde_info;

static bool parse_fde(const unsigned char *fde, fde_info *fi)
{
    reader r = {fde, fde + 8, false};
    uint64_t length = fixed(&r, 4);
    if (length == 0 || length >= 0xfffffff0u)
        return false;
    r.end = fde + 4 + length;
    const unsigned char *id_at = r.p;
    uint32_t cie_off = (uint32_t)fixed(&r, 4);
    if (cie_off == 0)
        return false; /* a CIE, not an FDE */
    const unsigned char *cie = id_at - cie_off;

    reader c = {cie, cie + 8, false};
    uint64_t cie_len = fixed(&c, 4);
    if (cie_len == 0 || cie_len >= 0xfffffff0u)
        return false;
    c.end = cie + 4 + cie_len;
    if (fixed(&c, 4) != 0)
        return false;
    unsigned version = (unsigned)fixed(&c, 1);
    const char *aug = (const char *)c.p;
    size_t aug_len = strnlen(aug, (size_t)(c.end - c.p));
    skip(&c, aug_len + 1);
    fi->code_align = uleb(&c);
    fi->data_align = sleb(&c);
    fi->ra_reg = version == 1 ? fixed(&c, 1) : uleb(&c);
    fi->enc = 0x00;
    bool has_aug_data = aug_len > 0 && aug[0] == 'z';
    if (has_aug_data) {
        uleb(&c);
        for (size_t i = 1; i < aug_len && !c.bad; i++) {
            switch (aug[i]) {
            case 'R': fi->enc = (unsigned char)fixed(&c, 1); break;
            case 'L': skip(&c, 1); break;
            case 'P': {
                unsigned char penc = (unsigned char)fixed(&c, 1);
                encoded(&c, (unsigned char)(penc & 0x7f)); /* skipped, never followed */
                break;
            }
            case 'S': case 'B': break;
            default: c.bad = true; break;
            }
        }
    } else if (aug_len > 0) {
        return false;
    }
    if (c.bad)
        return false;
    fi->cie_ins = c.p;
    fi->cie_end = c.end;

    fi->begin = encoded(&r, fi->enc);
    fi->len = encoded(&r, (unsigned char)(fi->enc & 0x0f));
    if (has_aug_data)
        skip(&r, uleb(&r));
    if (r.bad)
        return false;
    fi->fde_ins = r.p;
    fi->fde_end = r.end;
    return true;
}

/* One FDE (at fde, inside .eh_frame): its function's range and kind; the
 * CIE's initial rules are the same for every function and say nothing. */
static fde_kind read_fde(const unsigned char *fde, uintptr_t *begin, uintptr_t *len)
{
    fde_info fi;
    if (!parse_fde(fde, &fi))
        return FDE_BAD;
    *begin = fi.begin;
    *len = fi.len;
    reader r = {fi.fde_ins, fi.fde_end, false};
    return scan_cfa(&r, fi.enc);
}

/* .eh_frame_hdr's binary search table: (function start, FDE) pairs, each a
 * signed 32-bit offset from the header, sorted by function start. */
typedef struct search_table {
    const unsigned char *hdr;
    const int32_t *pairs;
    uint32_t count;
} search_table;

static bool open_table(const unsigned char *hdr, search_table *t)
{
    /* version 1; the table as the GNU linker writes it: count udata4,
     * entries datarel sdata4. */
    if (hdr == NULL || hdr[0] != 1 || hdr[2] != 0x03 || hdr[3] != 0x3b)
        return false;
    reader r = {hdr + 4, hdr + 16, false};
    encoded(&r, hdr[1]); /* .eh_frame's address: not needed */
    if (r.bad)
        return false;
    uint32_t count;
    memcpy(&count, r.p, 4);
    t->hdr = hdr;
    t->pairs = (const int32_t *)(const void *)(r.p + 4);
    t->count = count;
    return true;
}

static fde_kind table_entry(const search_table *t, uint32_t i, uintptr_t *begin, uintptr_t *len)
{
    int32_t fde_off;
    memcpy(&fde_off, &t->pairs[2 * i + 1], sizeof fde_off);
    return read_fde(t->hdr + fde_off, begin, len);
}

static uintptr_t table_start(const search_table *t, uint32_t i)
{
    int32_t off;
    memcpy(&off, &t->pairs[2 * i], sizeof off);
    return (uintptr_t)t->hdr + (uintptr_t)(intptr_t)off;
}

/* ---- the runs ------------------------------------------------------------- */

static pthread_mutex_t runs_lock = PTHREAD_MUTEX_INITIALIZER;
static bool runs_known;

typedef struct run_list {
    uintptr_t lo[CALLSITE_FP_RUNS];
    uintptr_t len[CALLSITE_FP_RUNS];
} run_list;

/* Keeps the CALLSITE_FP_RUNS longest runs, longest first. */
static void keep_run(run_list *l, uintptr_t lo, uintptr_t len)
{
    unsigned i = CALLSITE_FP_RUNS;
    while (i > 0 && l->len[i - 1] < len)
        i--;
    if (i == CALLSITE_FP_RUNS)
        return;
    for (unsigned j = CALLSITE_FP_RUNS - 1; j > i; j--) {
        l->lo[j] = l->lo[j - 1];
        l->len[j] = l->len[j - 1];
    }
    l->lo[i] = lo;
    l->len[i] = len;
}

static const unsigned char *eh_frame_hdr_of(const struct dl_phdr_info *info)
{
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_GNU_EH_FRAME)
            return (const unsigned char *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
    return NULL;
}

static int classify_object(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    run_list *l = data;
    /* glibc reports the program first, under the name "". */
    if (info->dlpi_name != NULL && info->dlpi_name[0] != '\0')
        return 0;
    search_table t;
    if (!open_table(eh_frame_hdr_of(info), &t))
        return 1;
    uintptr_t run_lo = 0, run_end = 0;
    bool in_run = false;
    for (uint32_t i = 0; i < t.count; i++) {
        uintptr_t begin = 0, len = 0;
        fde_kind k = table_entry(&t, i, &begin, &len);
        bool joins = (k == FDE_FP || k == FDE_FRAMELESS || k == FDE_OUTERMOST) &&
                     begin == table_start(&t, i) && len > 0;
        if (joins && in_run && begin >= run_end && begin - run_end <= GAP_MAX) {
            run_end = begin + len;
            continue;
        }
        if (in_run)
            keep_run(l, run_lo, run_end - run_lo);
        in_run = joins;
        run_lo = begin;
        run_end = begin + len;
    }
    if (in_run)
        keep_run(l, run_lo, run_end - run_lo);
    return 1; /* the program is done: the libraries are not classified */
}

/* Fills callsite_fp_runs from the objects loaded now; runs_lock held. */
static void find_runs_locked(void)
{
    run_list l;
    memset(&l, 0, sizeof l);
    if (CAN_CLASSIFY)
        dl_iterate_phdr(classify_object, &l);
    /* A reader between two stores sees no run or a whole one: the length
     * goes to 0 before its start changes and is set after it. */
    __atomic_store_n(&callsite_fp_after_first.len, 0, __ATOMIC_RELEASE);
    uintptr_t span_lo = UINTPTR_MAX, span_end = 0;
    for (unsigned i = 0; i < CALLSITE_FP_RUNS; i++) {
        __atomic_store_n(&callsite_fp_runs[i].len, 0, __ATOMIC_RELEASE);
        __atomic_store_n(&callsite_fp_runs[i].lo, l.lo[i], __ATOMIC_RELAXED);
        __atomic_store_n(&callsite_fp_runs[i].len, l.len[i], __ATOMIC_RELEASE);
        if (i > 0 && l.len[i] > 0) {
            span_lo = l.lo[i] < span_lo ? l.lo[i] : span_lo;
            span_end = l.lo[i] + l.len[i] > span_end ? l.lo[i] + l.len[i] : span_end;
        }
    }
    if (span_end > 0) {
        __atomic_store_n(&callsite_fp_after_first.lo, span_lo, __ATOMIC_RELAXED);
        __atomic_store_n(&callsite_fp_after_first.len, span_end - span_lo, __ATOMIC_RELEASE);
    }
    runs_known = true;
}

/* Finds the runs unless that was done since the last reset; true when it
 * did it now (so that a caller knows the table just changed). */
CALLSITE_HIDDEN bool callsite_find_runs(void);
bool callsite_find_runs(void)
{
    pthread_mutex_lock(&runs_lock);
    bool now = !runs_known;
    if (now)
        find_runs_locked();
    pthread_mutex_unlock(&runs_lock);
    return now;
}

static _Atomic unsigned objects_generation;

void callsite_forget_objects(void)
{
    atomic_fetch_add_explicit(&objects_generation, 1, memory_order_relaxed);
    pthread_mutex_lock(&runs_lock);
    __atomic_store_n(&callsite_fp_after_first.len, 0, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < CALLSITE_FP_RUNS; i++)
        __atomic_store_n(&callsite_fp_runs[i].len, 0, __ATOMIC_RELEASE);
    runs_known = false;
    pthread_mutex_unlock(&runs_lock);
}

/* ---- one frame -------------------------------------------------------------
 * The unwinder for stacks whose site is outside the runs: one frame at a
 * time from its unwind rules, x86-64 only, for the rules compilers write
 * (the CFA from rsp or rbp plus an offset, rbp saved at an offset from it,
 * the return address just below it).  Anything else is left to libgcc. */

#define REG_RBP 6
#define REG_RSP 7
#define REG_RA 16
#define STATES_KEPT 4

typedef struct cfa_rules {
    uint64_t cfa_reg;
    int64_t cfa_off;
    bool rbp_saved; /* else rbp is the caller's own */
    int64_t rbp_off;
    bool outermost; /* the return address is undefined: no caller */
} cfa_rules;

typedef enum run_end { RUN_DONE, RUN_UNSUPPORTED } run_end;

/* Runs the instructions in [r->p, r->end) while their location stays at
 * or before pc, updating *s; initial is the state the CIE's instructions
 * left (DW_CFA_restore goes back to it). */
static run_end run_rules(reader *r, const fde_info *fi, uintptr_t loc, uintptr_t pc,
                         cfa_rules *s, const cfa_rules *initial)
{
    cfa_rules kept[STATES_KEPT];
    unsigned depth = 0;
    while (r->p < r->end && !r->bad) {
        unsigned char op = *r->p++;
        uint64_t reg = op & 0x3f, delta = 0;
        int64_t off = 0;
        bool advance = false;
        switch (op & 0xc0) {
        case 0x40: delta = reg; advance = true; break;
        case 0x80: off = (int64_t)uleb(r) * fi->data_align; goto saved_at;
        case 0xc0: goto restore;
        default: break;
        }
        if (!advance) {
            switch (op) {
            case 0x00: continue;
            case 0x01: {
                uintptr_t to = encoded(r, fi->enc);
                if (to > pc)
                    return RUN_DONE;
                loc = to;
                continue;
            }
            case 0x02: delta = fixed(r, 1); advance = true; break;
            case 0x03: delta = fixed(r, 2); advance = true; break;
            case 0x04: delta = fixed(r, 4); advance = true; break;
            case 0x05: reg = uleb(r); off = (int64_t)uleb(r) * fi->data_align; goto saved_at;
            case 0x11: reg = uleb(r); off = sleb(r) * fi->data_align; goto saved_at;
            case 0x2f: reg = uleb(r); off = -(int64_t)uleb(r) * fi->data_align; goto saved_at;
            case 0x06: reg = uleb(r); goto restore;
            case 0x07:
                reg = uleb(r);
                if (reg == REG_RA)
                    s->outermost = true;
                else if (reg == REG_RBP)
                    return RUN_UNSUPPORTED;
                continue;
            case 0x08:
                reg = uleb(r);
                if (reg == REG_RBP)
                    s->rbp_saved = false;
                continue;
            case 0x09:
            case 0x14: case 0x15: case 0x10: case 0x16:
                reg = uleb(r);
                if (reg == REG_RBP || reg == REG_RA)
                    return RUN_UNSUPPORTED;
                if (op == 0x09) uleb(r);
                else if (op == 0x14) uleb(r);
                else if (op == 0x15) sleb(r);
                else skip(r, uleb(r));
                continue;
            case 0x0a:
                if (depth == STATES_KEPT)
                    return RUN_UNSUPPORTED;
                kept[depth++] = *s;
                continue;
            case 0x0b:
                if (depth == 0)
                    return RUN_UNSUPPORTED;
                *s = kept[--depth];
                continue;
            case 0x0c: s->cfa_reg = uleb(r); s->cfa_off = (int64_t)uleb(r); continue;
            case 0x0d: s->cfa_reg = uleb(r); continue;
            case 0x0e: s->cfa_off = (int64_t)uleb(r); continue;
            case 0x12: s->cfa_reg = uleb(r); s->cfa_off = sleb(r) * fi->data_align; continue;
            case 0x13: s->cfa_off = sleb(r) * fi->data_align; continue;
            case 0x2e: uleb(r); continue;
            default: return RUN_UNSUPPORTED; /* expressions among them */
            }
        }
        if (advance) {
            loc += delta * fi->code_align;
            if (loc > pc)
                return RUN_DONE;
        }
        continue;
    saved_at:
        if (reg == REG_RBP) {
            s->rbp_saved = true;
            s->rbp_off = off;
        } else if (reg == REG_RA && off != -8) {
            return RUN_UNSUPPORTED;
        }
        continue;
    restore:
        if (reg == REG_RBP) {
            s->rbp_saved = initial->rbp_saved;
            s->rbp_off = initial->rbp_off;
        }
        continue;
    }
    return r->bad ? RUN_UNSUPPORTED : RUN_DONE;
}

/* The FDE of the function holding pc, from its object's search table. */
static bool find_fde(uintptr_t pc, fde_info *fi)
{
    const unsigned char *hdr = NULL;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
    struct dl_find_object found;
    if (_dl_find_object((void *)pc, &found) == 0)
        hdr = found.dlfo_eh_frame;
#else
    (void)pc;
#endif
    search_table t;
    if (!open_table(hdr, &t) || t.count == 0 || table_start(&t, 0) > pc)
        return false;
    uint32_t lo = 0, hi = t.count;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (table_start(&t, mid) <= pc)
            lo = mid;
        else
            hi = mid;
    }
    int32_t fde_off;
    memcpy(&fde_off, &t.pairs[2 * lo + 1], sizeof fde_off);
    return parse_fde(t.hdr + fde_off, fi) && pc - fi->begin < fi->len;
}

/* The rules found for a return address, per thread: allocations repeat
 * their call sites, and reading the rules is most of a step's cost.  An
 * entry of an older generation (callsite_forget_objects) is not used. */
#define RULES_CACHED 64
typedef struct rules_entry {
    uintptr_t pc;
    unsigned generation;
    cfa_rules rules;
} rules_entry;
static _Thread_local rules_entry rules_cache[RULES_CACHED]
    __attribute__((tls_model("initial-exec")));

/* The rules in force at return address ret, or false when this unwinder
 * does not read them. */
static bool rules_at(uintptr_t ret, cfa_rules *out)
{
    unsigned generation = atomic_load_explicit(&objects_generation, memory_order_relaxed);
    rules_entry *e = &rules_cache[(ret ^ (ret >> 6)) % RULES_CACHED];
    if (e->pc == ret && e->generation == generation + 1) {
        *out = e->rules;
        return true;
    }
    /* A return address follows its call: its rules are the call's. */
    uintptr_t pc = ret - 1;
    fde_info fi;
    if (!find_fde(pc, &fi) || fi.ra_reg != REG_RA)
        return false;
    cfa_rules initial = {REG_RSP, 8, false, 0, false};
    reader c = {fi.cie_ins, fi.cie_end, false};
    if (run_rules(&c, &fi, fi.begin, pc, &initial, &initial) != RUN_DONE)
        return false;
    cfa_rules s = initial;
    reader r = {fi.fde_ins, fi.fde_end, false};
    if (run_rules(&r, &fi, fi.begin, pc, &s, &initial) != RUN_DONE)
        return false;
    if (!s.outermost && s.cfa_reg != REG_RSP && s.cfa_reg != REG_RBP)
        return false;
    e->pc = ret;
    e->generation = generation + 1;
    e->rules = s;
    *out = s;
    return true;
}

callsite_step_result callsite_step(callsite_regs *regs, uintptr_t stack_top)
{
    cfa_rules s;
    if (!CAN_CLASSIFY || !rules_at(regs->pc, &s))
        return CALLSITE_STEP_UNSUPPORTED;
    if (s.outermost)
        return CALLSITE_STEP_END;
    uintptr_t cfa = (s.cfa_reg == REG_RSP ? regs->rsp : regs->rbp) + (uintptr_t)s.cfa_off;
    /* Every word read lies on this stack, above the frame just left. */
    if (cfa <= regs->rsp || cfa > stack_top || cfa % 8 != 0)
        return CALLSITE_STEP_END;
    uintptr_t rbp = regs->rbp;
    if (s.rbp_saved) {
        uintptr_t at = cfa + (uintptr_t)s.rbp_off;
        if (at < regs->rsp || at > stack_top - 8)
            return CALLSITE_STEP_END;
        rbp = *(const uintptr_t *)at;
    }
    uintptr_t ret = *(const uintptr_t *)(cfa - 8);
    if (ret == 0)
        return CALLSITE_STEP_END;
    regs->pc = ret;
    regs->rsp = cfa;
    regs->rbp = rbp;
    return CALLSITE_STEP_OK;
}
