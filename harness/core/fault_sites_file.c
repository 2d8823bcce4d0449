/* The sites file (see fault_sites_file in fault.h).  Addresses move from run
 * to run (PIE, shared libraries), so each frame is stored as the object it
 * lies in plus its offset there, one failed site per line:
 *   site DEPTH OBJECT+0xOFFSET ... (a frame beyond the stack's end is "-")
 * and turned back into this run's addresses when loaded. */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <memharness/fault.h>
#include "fault_record.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *sites_out;

/* The main program is written and found by the resolved /proc/self/exe:
 * glibc names it "" in dl_iterate_phdr and by argv[0] in dladdr ("./prog"
 * when it was started so), neither of which the next run can look up. */
static void main_program(char *out, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", out, len - 1);
    out[n > 0 ? n : 0] = '\0';
}

static int first_object_bias(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    *(uintptr_t *)arg = (uintptr_t)info->dlpi_addr;
    return 1; /* the first object dl_iterate_phdr reports is the main program */
}

/* The main program's load bias: how it is told apart from the shared
 * objects, whatever name it was started by. */
static uintptr_t main_program_bias(void)
{
    uintptr_t bias = 0;
    dl_iterate_phdr(first_object_bias, &bias);
    return bias;
}

typedef struct base_query {
    const char *object;
    const char *self;
    uintptr_t base;
    int found;
} base_query;

static int find_base(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    base_query *q = arg;
    const char *name = info->dlpi_name[0] ? info->dlpi_name : q->self;
    if (strcmp(name, q->object) == 0) {
        q->base = (uintptr_t)info->dlpi_addr;
        q->found = 1;
        return 1;
    }
    return 0;
}

/* This run's address of OBJECT+0xOFFSET, or 0 when the object is not loaded. */
static const void *address_of(const char *token, const char *self)
{
    const char *plus = strrchr(token, '+');
    if (plus == NULL || plus == token)
        return NULL;
    char object[PATH_MAX];
    size_t n = (size_t)(plus - token);
    if (n >= sizeof object)
        return NULL;
    memcpy(object, token, n);
    object[n] = '\0';
    char *end;
    errno = 0;
    unsigned long long off = strtoull(plus + 1, &end, 16);
    if (errno != 0 || *end != '\0')
        return NULL;
    base_query q = {object, self, 0, 0};
    dl_iterate_phdr(find_base, &q);
    return q.found ? (const void *)(q.base + (uintptr_t)off) : NULL;
}

/* Parses one line into pcs; false (with the reason) when malformed. */
static bool parse_line(char *line, const char *self, const void **pcs, unsigned *depth,
                       const char **why)
{
    char *save = NULL;
    char *word = strtok_r(line, " \t\n", &save);
    if (word == NULL || strcmp(word, "site") != 0) {
        *why = "does not start with 'site'";
        return false;
    }
    char *d = strtok_r(NULL, " \t\n", &save);
    char *end;
    unsigned long v = d ? strtoul(d, &end, 10) : 0;
    if (d == NULL || *end != '\0' || v < 1 || v > FAULT_MAX_DEPTH) {
        *why = "has no DEPTH from 1 to " FAULT_MAX_DEPTH_TEXT;
        return false;
    }
    *depth = (unsigned)v;
    for (unsigned i = 0; i < *depth; i++) {
        char *frame = strtok_r(NULL, " \t\n", &save);
        if (frame == NULL) {
            *why = "has fewer frames than its DEPTH";
            return false;
        }
        pcs[i] = strcmp(frame, "-") == 0 ? NULL : address_of(frame, self);
        if (pcs[i] == NULL && strcmp(frame, "-") != 0) {
            *why = "names a frame that is not OBJECT+0xOFFSET of a loaded object";
            return false;
        }
    }
    if (strtok_r(NULL, " \t\n", &save) != NULL) {
        *why = "has more frames than its DEPTH";
        return false;
    }
    return true;
}

bool fault_sites_file(const char *path, char *err, size_t errlen)
{
    pthread_mutex_lock(&lock);
    if (sites_out != NULL) {
        fclose(sites_out);
        sites_out = NULL;
    }
    pthread_mutex_unlock(&lock);
    if (path == NULL)
        return true;
    char self[PATH_MAX];
    main_program(self, sizeof self);
    FILE *in = fopen(path, "r");
    if (in == NULL && errno != ENOENT) {
        snprintf(err, errlen, "'%s': cannot read: %s", path, strerror(errno));
        return false;
    }
    unsigned lineno = 0;
    char line[8192];
    while (in != NULL && fgets(line, sizeof line, in) != NULL) {
        lineno++;
        if (line[0] == '#' || line[strspn(line, " \t\n")] == '\0')
            continue;
        const void *pcs[FAULT_MAX_DEPTH];
        unsigned depth;
        const char *why = "";
        if (!parse_line(line, self, pcs, &depth, &why)) {
            snprintf(err, errlen, "'%s' line %u %s", path, lineno, why);
            fclose(in);
            return false;
        }
        fault_sites_add(pcs, depth);
    }
    if (in != NULL)
        fclose(in);
    FILE *out = fopen(path, "a");
    if (out == NULL) {
        snprintf(err, errlen, "'%s': cannot append: %s", path, strerror(errno));
        return false;
    }
    pthread_mutex_lock(&lock);
    sites_out = out;
    pthread_mutex_unlock(&lock);
    return true;
}

void fault_record_site(const void *const *pcs, unsigned depth)
{
    pthread_mutex_lock(&lock);
    if (sites_out != NULL) {
        char self[PATH_MAX];
        self[0] = '\0';
        uintptr_t main_bias = main_program_bias();
        fprintf(sites_out, "site %u", depth);
        for (unsigned i = 0; i < depth; i++) {
            Dl_info info;
            struct link_map *object = NULL;
            if (pcs[i] == NULL || dladdr1(pcs[i], &info, (void **)&object, RTLD_DL_LINKMAP) == 0 ||
                object == NULL) {
                fputs(" -", sites_out);
                continue;
            }
            /* Offsets from the load bias, the base address_of adds back. */
            const char *name = object->l_name;
            if (object->l_addr == main_bias) {
                if (self[0] == '\0')
                    main_program(self, sizeof self);
                name = self;
            }
            fprintf(sites_out, " %s+0x%lx", name,
                    (unsigned long)((uintptr_t)pcs[i] - (uintptr_t)object->l_addr));
        }
        fputc('\n', sites_out);
        /* A run that crashes on the injected failure must still resume
         * past it next time. */
        fflush(sites_out);
    }
    pthread_mutex_unlock(&lock);
}
