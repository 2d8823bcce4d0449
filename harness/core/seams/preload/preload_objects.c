/* The loaded objects, read once (before main, again in the server before
 * it forks, and when a pc falls in none of them after a dlopen), so that
 * turning a pc into OBJECT+0xOFF and the MEMHARNESS_ONLY test cost a scan
 * of a small table instead of the loader's lock.  OBJECT is the path the
 * loader knows, the main program's resolved /proc/self/exe (as the core's
 * sites file names it); OFF is pc minus the load bias, the same in every
 * run whatever ASLR does. */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "callsite_walk.h"
#include "preload.h"

/* The seam's span: the core's stacks end before a frame in it (the seam's
 * main wrapper, below the program's main). */
callsite_run callsite_cut;

#define MAX_OBJECTS 512
#define MAX_ONLY 16

typedef struct object {
    const char *name;
    uintptr_t bias, lo, hi;
    bool libc; /* libc.so.6 or the dynamic loader: skipped by MEMHARNESS_ONLY */
    bool self; /* the seam */
    bool only; /* named by MEMHARNESS_ONLY */
} object;

static object objects[MAX_OBJECTS];
static size_t object_count;
static char main_path[PATH_MAX];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char only_names[MAX_ONLY][256];
static size_t only_count;

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool only_matches(const object *o, bool is_main)
{
    const char *b = base_name(o->name);
    for (size_t i = 0; i < only_count; i++) {
        const char *want = only_names[i];
        if (is_main && (strcmp(want, "main") == 0 ||
                        strcmp(want, program_invocation_short_name) == 0))
            return true;
        if (strcmp(want, o->name) == 0 || strcmp(want, b) == 0 ||
            (strchr(want, '/') == NULL && strncmp(b, want, strlen(want)) == 0))
            return true;
    }
    return false;
}

static int add_object(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    size_t *index = arg;
    bool is_main = (*index)++ == 0;
    if (object_count >= MAX_OBJECTS)
        return 1;
    for (size_t i = 0; i < object_count; i++)
        if (objects[i].bias == (uintptr_t)info->dlpi_addr && objects[i].name != NULL &&
            (is_main || strcmp(objects[i].name, info->dlpi_name) == 0))
            return 0; /* known already */
    object o = {0};
    o.name = is_main ? main_path : info->dlpi_name;
    o.bias = (uintptr_t)info->dlpi_addr;
    o.lo = UINTPTR_MAX;
    for (unsigned i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        uintptr_t lo = o.bias + ph->p_vaddr, hi = lo + ph->p_memsz;
        if (lo < o.lo)
            o.lo = lo;
        if (hi > o.hi)
            o.hi = hi;
    }
    if (o.lo >= o.hi)
        return 0;
    const char *b = base_name(o.name);
    o.libc = strncmp(b, "libc.so", 7) == 0 || strncmp(b, "ld-linux", 8) == 0 ||
             strncmp(b, "ld64.so", 7) == 0;
    uintptr_t me = (uintptr_t)&add_object;
    o.self = me >= o.lo && me < o.hi;
    if (o.self) {
        callsite_cut.lo = o.lo;
        callsite_cut.len = o.hi - o.lo;
    }
    o.only = only_matches(&o, is_main);
    objects[object_count] = o;
    __atomic_store_n(&object_count, object_count + 1, __ATOMIC_RELEASE);
    return 0;
}

void preload_objects_load(void)
{
    pthread_mutex_lock(&lock);
    if (main_path[0] == '\0') {
        ssize_t n = readlink("/proc/self/exe", main_path, sizeof main_path - 1);
        main_path[n > 0 ? n : 0] = '\0';
    }
    size_t index = 0;
    dl_iterate_phdr(add_object, &index);
    pthread_mutex_unlock(&lock);
}

/* The object holding pc, reading the objects again once when none does. */
static const object *object_of(const void *pc)
{
    uintptr_t a = (uintptr_t)pc;
    for (int pass = 0; pass < 2; pass++) {
        size_t n = __atomic_load_n(&object_count, __ATOMIC_ACQUIRE);
        for (size_t i = 0; i < n; i++)
            if (a >= objects[i].lo && a < objects[i].hi)
                return &objects[i];
        if (pass == 0)
            preload_objects_load();
    }
    return NULL;
}

bool preload_only_set(const char *list, char *err, size_t len)
{
    only_count = 0;
    const char *p = list;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        if (n > 0 && only_count < MAX_ONLY && n < sizeof only_names[0]) {
            memcpy(only_names[only_count], p, n);
            only_names[only_count++][n] = '\0';
        } else if (n > 0) {
            snprintf(err, len, "'%s': too many objects or a name too long", list);
            return false;
        }
        p += n + (p[n] == ',');
    }
    if (only_count == 0) {
        snprintf(err, len, "'%s' names no object (OBJECT[,OBJECT...])", list);
        return false;
    }
    size_t found = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < object_count; i++) {
        objects[i].only = only_matches(&objects[i], i == 0);
        found += objects[i].only;
    }
    pthread_mutex_unlock(&lock);
    if (found == 0) {
        snprintf(err, len, "'%s' matches no loaded object (a path, a basename, a basename "
                 "prefix such as libsqlite3.so, or main)", list);
        return false;
    }
    preload_only_active = 1;
    return true;
}

bool preload_only_counts(const void *const *pcs, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        const object *o = object_of(pcs[i]);
        if (o == NULL)
            return false;
        if (!o->libc)
            return o->only;
    }
    return false;
}

bool preload_in_self(const void *pc)
{
    const object *o = object_of(pc);
    return o != NULL && o->self;
}

void preload_frame_text(const void *pc, bool with_symbol, char *buf, size_t len)
{
    const object *o = object_of(pc);
    if (o == NULL) {
        snprintf(buf, len, "?+0x%lx", (unsigned long)(uintptr_t)pc);
        return;
    }
    int n = snprintf(buf, len, "%s+0x%lx", o->name, (unsigned long)((uintptr_t)pc - o->bias));
    Dl_info info;
    if (with_symbol && n > 0 && (size_t)n < len && dladdr(pc, &info) != 0 &&
        info.dli_sname != NULL && info.dli_saddr != NULL)
        snprintf(buf + n, len - (size_t)n, " %s+0x%lx", info.dli_sname,
                 (unsigned long)((uintptr_t)pc - (uintptr_t)info.dli_saddr));
}

void preload_frame_short(const void *pc, char *buf, size_t len)
{
    const object *o = object_of(pc);
    if (o == NULL)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%s+0x%lx", base_name(o->name),
                 (unsigned long)((uintptr_t)pc - o->bias));
}

uint64_t preload_objects_digest(void)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t n = __atomic_load_n(&object_count, __ATOMIC_ACQUIRE);
    for (size_t i = 0; i < n; i++)
        for (const char *c = objects[i].name;; c++) {
            h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
            if (*c == '\0')
                break;
        }
    return h;
}

typedef struct segment_walk {
    void (*fn)(uintptr_t lo, uintptr_t hi, void *arg);
    void *arg;
} segment_walk;

static int each_writable(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    segment_walk *w = arg;
    uintptr_t me = (uintptr_t)&each_writable;
    bool self = false;
    for (unsigned i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = (uintptr_t)info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && me >= lo && me < lo + ph->p_memsz)
            self = true;
    }
    if (self)
        return 0;
    for (unsigned i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W) && ph->p_memsz > 0) {
            uintptr_t lo = (uintptr_t)info->dlpi_addr + ph->p_vaddr;
            w->fn(lo, lo + ph->p_memsz, w->arg);
        }
    }
    return 0;
}

void preload_writable_segments(void (*fn)(uintptr_t lo, uintptr_t hi, void *arg), void *arg)
{
    segment_walk w = {fn, arg};
    dl_iterate_phdr(each_writable, &w);
}
