/* Self-test of memharness-wrap's coverage of the C library's allocating
 * functions beyond malloc, calloc, realloc and free: each is tracked at the
 * code under test's call site (so a leak of its result names that site),
 * fails under a fault the way glibc fails when out of memory, and its
 * result is freed cleanly with free.  Linked against a fixture wrapped for
 * the malloc family only, this suite fails (seam_wrap_libc_planted_*). */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <memharness/callsite.h>
#include <memharness/fault.h>
#include <memharness/tracker.h>

#include "memtest.h"
#include "wrapped_cut.h"

/* No misuse recorded since the last reset; logs the first one. */
static bool no_misuse(void)
{
    size_t n = tracker_error_count();
    if (n > 0)
        cr_log_error("misuse: %s", tracker_error_text(0) ? tracker_error_text(0) : "");
    return n == 0;
}

/* True when p is a live block whose call site names function fn, and the
 * leak report, read now, names fn too. */
static bool tracked_from(const void *p, const char *fn)
{
    tracker_block b;
    if (!tracker_lookup(p, &b)) {
        cr_log_error("%p is not a live block of the tracker", p);
        return false;
    }
    char where[256];
    callsite_describe(b.site, where, sizeof where);
    char leaks[16384];
    tracker_format_leaks(leaks, sizeof leaks, b.seq);
    cr_log_info("block %p from %s; leak report: %s", p, where, leaks);
    return strstr(where, fn) != NULL && strstr(leaks, fn) != NULL;
}

/* Every block freed and no misuse. */
static void expect_clean(const char *what)
{
    cr_expect_eq(tracker_live_count(), 0, "%s: %zu block(s) left live", what,
                 tracker_live_count());
    cr_expect(no_misuse(), "%s: misuse recorded", what);
}

/* Arms a persistent fault from the next allocation on. */
static void fail_all(void)
{
    fault_arm(FAULT_PERSISTENT, 1);
}

MEMTEST(wrap_libc, vasprintf_result_freed_is_not_misuse)
{
    char *s = cut_format("%s-%d", "abc", 42);
    cr_assert_not_null(s);
    cr_expect_str_eq(s, "abc-42");
    cut_free(s);
    cr_expect(no_misuse(), "free of vasprintf's result reported as misuse");
    cr_expect_eq(tracker_live_count(), 0);
}

MEMTEST(wrap_libc, vasprintf_and_asprintf)
{
    char *v = cut_format("[%s]", "x");
    char *a = NULL;
    char *f = NULL;
    cr_assert_eq(cut_asprintf(&a, 7), 3);
    cr_assert_eq(cut_asprintf_fortified(&f, 8), 3);
    cr_expect_str_eq(v, "[x]");
    cr_expect_str_eq(a, "<7>");
    cr_expect_str_eq(f, "<8>");
    cr_expect(tracked_from(v, "cut_format"), "vasprintf's string not tracked at its call");
    cr_expect(tracked_from(a, "cut_asprintf"), "asprintf's string not tracked at its call");
    cr_expect(tracked_from(f, "cut_asprintf_fortified"),
              "__asprintf_chk's string not tracked at its call");
    cut_free(v);
    cut_free(a);
    cut_free(f);
    expect_clean("asprintf");

    fail_all();
    char *kept = (char *)"kept";
    char *kept_f = kept;
    errno = 0;
    cr_expect_eq(cut_asprintf(&kept, 1), -1, "asprintf did not fail under a fault");
    cr_expect_eq(errno, ENOMEM);
    cr_expect_eq(cut_asprintf_fortified(&kept_f, 1), -1, "__asprintf_chk did not fail");
    cr_expect_null(cut_format("%d", 1), "vasprintf did not fail under a fault");
    cr_expect_eq(fault_hits(), 3);
    fault_reset();
    cr_expect_str_eq(kept, "kept", "a failed asprintf changed *strp");
    errno = 0;
    cr_expect_eq(cut_asprintf(NULL, 1), -1, "asprintf(NULL, ...) did not fail");
    cr_expect_eq(errno, EINVAL);
    expect_clean("failed asprintf");
}

MEMTEST(wrap_libc, reallocarray)
{
    long *p = cut_reallocarray(NULL, 4, sizeof *p);
    cr_assert_not_null(p);
    cr_expect(tracked_from(p, "cut_reallocarray"), "reallocarray's block not tracked");
    tracker_block b;
    cr_assert(tracker_lookup(p, &b));
    cr_expect_eq(b.size, 4 * sizeof *p);
    p[3] = 42;
    errno = 0;
    cr_expect_null(cut_reallocarray(p, SIZE_MAX / 2, 4), "an overflowing reallocarray succeeded");
    cr_expect_eq(errno, ENOMEM);
    cr_expect_eq(fault_calls(), 0, "an overflow asked the injector");
    p = cut_reallocarray(p, 8, sizeof *p);
    cr_assert_not_null(p);
    cr_expect_eq(p[3], 42);
    fail_all();
    errno = 0;
    cr_expect_null(cut_reallocarray(p, 16, sizeof *p), "reallocarray did not fail");
    cr_expect_eq(errno, ENOMEM);
    fault_reset();
    cr_expect(tracker_lookup(p, NULL), "a failed reallocarray freed the block");
    cut_free(p);
    expect_clean("reallocarray");
}

MEMTEST(wrap_libc, wcsdup)
{
    wchar_t *w = cut_wcsdup(L"wide");
    cr_assert_not_null(w);
    cr_expect(wcscmp(w, L"wide") == 0);
    cr_expect(tracked_from(w, "cut_wcsdup"), "wcsdup's copy not tracked");
    cut_free(w);
    expect_clean("wcsdup");
    fail_all();
    errno = 0;
    cr_expect_null(cut_wcsdup(L"x"), "wcsdup did not fail");
    cr_expect_eq(errno, ENOMEM);
    fault_reset();
    expect_clean("failed wcsdup");
}

/* Whether p is on an align boundary, logged when not. */
static bool aligned(const void *p, size_t align)
{
    if ((uintptr_t)p % align == 0)
        return true;
    cr_log_error("%p is not %zu-aligned", p, align);
    return false;
}

MEMTEST(wrap_libc, aligned_allocators)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *pm = NULL;
    cr_assert_eq(cut_posix_memalign(&pm, 64, 100), 0);
    void *aa = cut_aligned_alloc(128, 256);
    void *ma = cut_memalign(48, 10); /* glibc rounds 48 up to 64 */
    void *va = cut_valloc(10);
    void *pv = cut_pvalloc(10);
    cr_assert(aa && ma && va && pv);
    cr_expect(aligned(pm, 64) && aligned(aa, 128) && aligned(ma, 64) && aligned(va, page) &&
              aligned(pv, page));
    cr_expect(tracked_from(pm, "cut_posix_memalign"));
    cr_expect(tracked_from(aa, "cut_aligned_alloc"));
    cr_expect(tracked_from(ma, "cut_memalign"));
    cr_expect(tracked_from(va, "cut_valloc"));
    cr_expect(tracked_from(pv, "cut_pvalloc"));
    tracker_block b;
    cr_assert(tracker_lookup(pv, &b));
    cr_expect_eq(b.size, page, "pvalloc's block is not a whole page");
    cr_expect_eq(((unsigned char *)ma)[0], TRACKER_POISON_NEW, "memalign's block not poisoned");
    cut_free(pm);
    cut_free(aa);
    cut_free(ma);
    cut_free(va);
    cut_free(pv);
    expect_clean("aligned");

    /* Blocks handed out again keep the promise: a reset gives every live
     * block of memalign's size class back to the store for reuse. */
    for (int i = 0; i < 64; i++)
        cr_assert_not_null(cut_malloc(40));
    verdict_clean_slate();
    void *kept[32];
    for (int i = 0; i < 32; i++) {
        kept[i] = cut_memalign(256, 40);
        cr_assert(kept[i] != NULL && aligned(kept[i], 256));
    }
    for (int i = 0; i < 32; i++)
        cut_free(kept[i]);
    expect_clean("aligned reuse");

    void *untouched = &untouched;
    cr_expect_eq(cut_posix_memalign(&untouched, 24, 8), EINVAL);
    cr_expect_eq(cut_posix_memalign(&untouched, 0, 8), EINVAL);
    cr_expect_eq(fault_calls(), 0, "an invalid alignment asked the injector");
    fail_all();
    errno = 0;
    cr_expect_eq(cut_posix_memalign(&untouched, 64, 8), ENOMEM);
    cr_expect(untouched == &untouched, "a failed posix_memalign changed *memptr");
    cr_expect_null(cut_aligned_alloc(64, 64));
    cr_expect_eq(errno, ENOMEM);
    errno = 0;
    cr_expect_null(cut_memalign(64, 64));
    cr_expect_eq(errno, ENOMEM);
    errno = 0;
    cr_expect_null(cut_valloc(1));
    cr_expect_eq(errno, ENOMEM);
    errno = 0;
    cr_expect_null(cut_pvalloc(1));
    cr_expect_eq(errno, ENOMEM);
    cr_expect_eq(fault_hits(), 5);
    fault_reset();
    expect_clean("failed aligned");
}

MEMTEST(wrap_libc, aligned_block_is_guarded)
{
    if (!tracker_guards_enabled())
        cr_skip_test("no guard bytes under a memory tool");
    unsigned char *p = cut_memalign(64, 24);
    cr_assert_not_null(p);
    p[24] = 0; /* one byte past the end */
    cut_free(p);
    cr_expect_eq(tracker_error_count(), 1, "an overrun of an aligned block went unseen");
    cr_expect(tracker_error_text(0) && strstr(tracker_error_text(0), "heap overrun"));
    tracker_reset();
}

/* A stream over text, read by the code under test; fmemopen is the test's
 * own, not tracked. */
static FILE *text_stream(const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    cr_assert_not_null(f);
    return f;
}

MEMTEST(wrap_libc, getline_and_getdelim)
{
    char longline[400];
    memset(longline, 'x', sizeof longline - 2);
    longline[sizeof longline - 2] = '\n';
    longline[sizeof longline - 1] = '\0';
    char text[512];
    snprintf(text, sizeof text, "one\n%sa:b", longline);
    FILE *f = text_stream(text);
    char *line = NULL;
    size_t n = 0;
    cr_expect_eq(cut_getline(&line, &n, f), 4);
    cr_expect_str_eq(line, "one\n");
    cr_expect_eq(n, 120, "getline's first buffer is not glibc's 120 bytes");
    cr_expect(tracked_from(line, "cut_getline"), "getline's buffer not tracked");
    cr_expect_eq(cut_getline(&line, &n, f), (ssize_t)strlen(longline));
    cr_expect_str_eq(line, longline);
    cr_expect_geq(n, strlen(longline) + 1);
    cr_expect(tracked_from(line, "cut_getline"), "getline's grown buffer not tracked");
    cr_expect_eq(cut_getdelim(&line, &n, ':', f), 2);
    cr_expect_str_eq(line, "a:");
    cr_expect_eq(cut_getdelim(&line, &n, ':', f), 1);
    cr_expect_str_eq(line, "b");
    cr_expect_eq(cut_getline(&line, &n, f), -1, "no end of file");
    fclose(f);
    cut_free(line);
    expect_clean("getline");

    errno = 0;
    cr_expect_eq(cut_getline(NULL, &n, stdin), -1);
    cr_expect_eq(errno, EINVAL);

    /* Refused first buffer, then a refused growth: -1, ENOMEM, and the
     * caller's buffer still theirs. */
    f = text_stream(text);
    line = NULL;
    n = 0;
    fail_all();
    errno = 0;
    cr_expect_eq(cut_getline(&line, &n, f), -1, "getline did not fail");
    cr_expect_eq(errno, ENOMEM);
    cr_expect_null(line);
    fault_reset();
    cr_expect_eq(cut_getline(&line, &n, f), 4);
    fail_all();
    errno = 0;
    cr_expect_eq(cut_getline(&line, &n, f), -1, "getline's growth did not fail");
    cr_expect_eq(errno, ENOMEM);
    fault_reset();
    cr_expect(tracker_lookup(line, NULL), "a failed getline freed the caller's buffer");
    fclose(f);
    cut_free(line);
    expect_clean("failed getline");
}

MEMTEST(wrap_libc, open_memstream)
{
    char *buf = NULL;
    size_t size = 99;
    FILE *f = cut_open_memstream(&buf, &size);
    cr_assert_not_null(f);
    cr_expect(tracked_from(buf, "cut_open_memstream"), "open_memstream's buffer not tracked");
    fprintf(f, "hello %d", 5);
    cr_assert_eq(fflush(f), 0);
    cr_expect_str_eq(buf, "hello 5");
    cr_expect_eq(size, 7);
    for (int i = 0; i < 50; i++)
        fputs("0123456789", f);
    cr_assert_eq(fflush(f), 0);
    cr_expect_eq(size, 507);
    cr_expect_eq(strlen(buf), 507);
    cr_expect(tracked_from(buf, "cut_open_memstream"), "the grown buffer not tracked at the open");
    cr_assert_eq(fseek(f, 5, SEEK_SET), 0);
    cr_assert_eq(fflush(f), 0);
    cr_expect_eq(size, 5, "*sizeloc is not the position after a seek");
    cr_assert_eq(fseek(f, 3, SEEK_END), 0);
    fputc('!', f);
    cr_assert_eq(fclose(f), 0);
    cr_expect_eq(size, 511);
    cr_expect(buf[507] == 0 && buf[509] == 0 && buf[510] == '!' && buf[511] == 0,
              "a seek past the end is not zero-filled");
    cut_free(buf);
    expect_clean("open_memstream");

    fail_all();
    errno = 0;
    buf = NULL;
    cr_expect_null(cut_open_memstream(&buf, &size), "open_memstream did not fail");
    cr_expect_eq(errno, ENOMEM);
    fault_reset();
    expect_clean("failed open_memstream");

    f = cut_open_memstream(&buf, &size);
    cr_assert_not_null(f);
    fail_all();
    for (int i = 0; i < 20; i++)
        fputs("0123456789", f);
    cr_expect_eq(fflush(f), EOF, "a refused growth did not fail the flush");
    cr_expect(ferror(f));
    fclose(f);
    fault_reset();
    cut_free(buf);
    expect_clean("failed memstream write");
}

MEMTEST(wrap_libc, open_wmemstream)
{
    wchar_t *buf = NULL;
    size_t size = 99;
    FILE *f = cut_open_wmemstream(&buf, &size);
    cr_assert_not_null(f);
    fwprintf(f, L"wide %d", 3);
    cr_assert_eq(cut_fclose(f), 0);
    cr_assert_not_null(buf);
    cr_expect(wcscmp(buf, L"wide 3") == 0);
    cr_expect_eq(size, 6);
    cr_expect(tracked_from(buf, "cut_open_wmemstream"), "open_wmemstream's buffer not tracked");
    cut_free(buf);
    expect_clean("open_wmemstream");

    /* fclose of any other stream is the real one. */
    FILE *plain = tmpfile();
    cr_assert_not_null(plain);
    cr_expect_eq(cut_fclose(plain), 0);
    errno = 0;
    cr_expect_eq(cut_fclose(NULL), EOF, "fclose(NULL) did not fail");
    cr_expect_eq(errno, EINVAL);
    char *nbuf = NULL;
    f = cut_open_memstream(&nbuf, &size);
    cr_assert_not_null(f);
    fputs("narrow", f);
    cr_expect_eq(cut_fclose(f), 0);
    cr_expect_str_eq(nbuf, "narrow");
    cut_free(nbuf);
    expect_clean("fclose of other streams");

    fail_all();
    errno = 0;
    cr_expect_null(cut_open_wmemstream(&buf, &size), "open_wmemstream did not fail");
    cr_expect_eq(errno, ENOMEM);
    fault_reset();
    f = cut_open_wmemstream(&buf, &size);
    cr_assert_not_null(f);
    fputwc(L'x', f);
    fail_all();
    errno = 0;
    cut_fclose(f);
    cr_expect_eq(errno, ENOMEM, "a refused buffer at fclose did not say ENOMEM");
    cr_expect_null(buf, "a refused buffer at fclose left *ptr set");
    cr_expect_eq(fault_hits(), 1);
    fault_reset();
    expect_clean("failed open_wmemstream");
}

MEMTEST(wrap_libc, paths)
{
    char real[PATH_MAX];
    cr_assert_not_null(realpath(".", real));
    char *rp = cut_realpath(".", NULL);
    char *cf = cut_canonicalize_file_name(".");
    char *cw = cut_getcwd(NULL, 0);
    char *cw_sized = cut_getcwd(NULL, PATH_MAX);
    char *cd = cut_get_current_dir_name();
    char *tn = cut_tempnam(NULL, "mh");
    cr_assert(rp && cf && cw && cw_sized && cd && tn);
    cr_expect_str_eq(rp, real);
    cr_expect_str_eq(cf, real);
    cr_expect_str_eq(cw, real);
    cr_expect_str_eq(cw_sized, real);
    cr_expect(strstr(tn, "/mh") != NULL, "tempnam gave %s", tn);
    cr_expect(tracked_from(rp, "cut_realpath"));
    cr_expect(tracked_from(cf, "cut_canonicalize_file_name"));
    cr_expect(tracked_from(cw, "cut_getcwd"));
    cr_expect(tracked_from(cd, "cut_get_current_dir_name"));
    cr_expect(tracked_from(tn, "cut_tempnam"));
    tracker_block b;
    cr_assert(tracker_lookup(cw_sized, &b));
    cr_expect_eq(b.size, PATH_MAX, "getcwd(NULL, size) did not allocate size bytes");
    cut_free(rp);
    cut_free(cf);
    cut_free(cw);
    cut_free(cw_sized);
    cut_free(cd);
    cut_free(tn);
    expect_clean("paths");

    /* With the caller's buffer nothing is allocated; an error is libc's. */
    uint64_t before = tracker_alloc_total();
    char buf[PATH_MAX];
    cr_expect_eq(cut_realpath(".", buf), buf);
    cr_expect_eq(cut_getcwd(buf, sizeof buf), buf);
    errno = 0;
    cr_expect_null(cut_getcwd(NULL, 2));
    cr_expect_eq(errno, ERANGE);
    errno = 0;
    cr_expect_null(cut_realpath("/no/such/path/here", NULL));
    cr_expect_eq(errno, ENOENT);
    cr_expect_eq(tracker_alloc_total(), before, "a call that allocates nothing was tracked");

    fail_all();
    const char *names[] = {"realpath", "canonicalize_file_name", "getcwd",
                           "get_current_dir_name", "tempnam"};
    char *got[5];
    int errs[5];
    got[0] = cut_realpath(".", NULL), errs[0] = errno;
    got[1] = cut_canonicalize_file_name("."), errs[1] = errno;
    got[2] = cut_getcwd(NULL, 0), errs[2] = errno;
    got[3] = cut_get_current_dir_name(), errs[3] = errno;
    got[4] = cut_tempnam(NULL, "mh"), errs[4] = errno;
    fault_reset();
    for (int i = 0; i < 5; i++) {
        cr_expect_null(got[i], "%s did not fail under a fault", names[i]);
        cr_expect_eq(errs[i], ENOMEM, "%s: errno %d, not ENOMEM", names[i], errs[i]);
    }
    expect_clean("failed paths");
}

/* A directory holding c, a and b. */
static void make_dir(char *dir)
{
    strcpy(dir, "/tmp/memharness-scandir-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    for (const char *n = "cab"; *n; n++) {
        char path[64];
        snprintf(path, sizeof path, "%s/%c", dir, *n);
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f);
        fclose(f);
    }
}

static void remove_dir(const char *dir)
{
    for (const char *n = "cab"; *n; n++) {
        char path[64];
        snprintf(path, sizeof path, "%s/%c", dir, *n);
        unlink(path);
    }
    rmdir(dir);
}

/* One scandir variant (cut_scandir or cut_scandir32) through its promises. */
static void check_scandir(int (*scan)(const char *, char ***), const char *fn)
{
    verdict_clean_slate();
    char dir[64];
    make_dir(dir);
    char **names = NULL;
    int n = scan(dir, &names);
    cr_assert_eq(n, 5, "%s found %d entries", fn, n);
    const char *want[] = {".", "..", "a", "b", "c"};
    for (int i = 0; i < n; i++) {
        cr_expect_str_eq(cut_dirent_name(names, i), want[i]);
        cr_expect(tracked_from(names[i], fn), "%s's entry %d not tracked", fn, i);
    }
    cr_expect(tracked_from(names, fn), "%s's array not tracked", fn);
    cr_expect_eq(tracker_live_count(), 6);
    for (int i = 0; i < n; i++)
        cut_free(names[i]);
    cut_free(names);
    expect_clean(fn);

    /* Refused at the array, and at the third entry: nothing left over. */
    for (uint64_t k = 1; k <= 4; k += 3) {
        fault_arm(FAULT_TRANSIENT, k);
        errno = 0;
        names = NULL;
        cr_expect_eq(scan(dir, &names), -1, "%s did not fail at allocation %llu", fn,
                     (unsigned long long)k);
        cr_expect_eq(errno, ENOMEM);
        cr_expect_null(names, "a failed %s set *namelist", fn);
        fault_reset();
        expect_clean("failed scandir");
    }
    remove_dir(dir);
}

MEMTEST(wrap_libc, scandir)
{
    check_scandir(cut_scandir, "cut_scandir");
}

MEMTEST(wrap_libc, scandir_without_large_file_offsets)
{
    check_scandir(cut_scandir32, "cut_scandir32");
}

MEMTEST(wrap_libc, foreign_and_interior_frees_say_why)
{
    static char not_heap[16];
    cut_free(not_heap);
    unsigned char *p = cut_malloc(32);
    cr_assert_not_null(p);
    cut_free(p + 8);
    cr_assert_eq(tracker_error_count(), 2);
    const char *foreign = tracker_error_text(0);
    const char *interior = tracker_error_text(1);
    cr_log_info("%s", foreign);
    cr_log_info("%s", interior);
    cr_expect(strstr(foreign, "free of ") == foreign, "%s", foreign);
    cr_expect(strstr(foreign, "not a live block of the wrapped malloc nor inside one") &&
                  strstr(foreign, "C library function it does not cover"),
              "a foreign free does not say its likely cause: %s", foreign);
    cr_expect(strstr(interior, "an interior pointer, 8 bytes into block #1 (32 bytes)") &&
                  strstr(interior, "cut_malloc"),
              "an interior free does not name its block: %s", interior);
    cut_free(p);
    tracker_reset();
}
