/* planted_sweep: the program `memharness sweep` is proved on (issue 21).
 *
 * It reads a small catalogue (lines "NAME: TAG,TAG,..."), builds records
 * and a tag index, prints a summary and frees everything.  Five bugs are
 * planted on its out-of-memory paths, each reached only when one chosen
 * allocation fails (harness/blackbox/expected.txt lists them as data):
 *   1. copy_name      no NULL check: the store into the copy crashes
 *   2. parse_tags     its error path frees the scratch copy twice
 *   3. build_index    its error path forgets the scratch array (a leak)
 *   4. xmalloc        die on out-of-memory: a deliberate policy, not a bug
 *   5. reserve_output waits for memory in an endless retry loop (a hang
 *                     when every allocation fails from there on)
 * Every other allocation is handled: a message, everything freed, exit 1.
 * Built with -DPLANTED_FIXED it is the correct twin, which a sweep must
 * find clean.
 *
 * The functions are global and the program is linked with -rdynamic, so
 * that the seam's dladdr names them; they are kept out of line (noinline,
 * and the target is built at -O0) so that each bug has one stack. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

/* A catalogue bigger than this is not the small input this program is for. */
#define MAX_INPUT (64 * 1024)

struct record {
    char *name;
    char **tags;       /* ntags strings, each its own allocation */
    size_t ntags;
};

struct tag_count {
    const char *tag;   /* points into a record's tags */
    size_t count;
};

struct catalog {
    struct record **recs;
    size_t n, cap;
    struct tag_count *counts;   /* distinct tags, sorted */
    size_t ncounts;
};

char *copy_name(const char *src, size_t len);
int parse_tags(struct record *rec, const char *list, size_t len);
int parse_record(struct record *rec, const char *line, size_t len, size_t lineno);
int parse_catalog(struct catalog *cat, const char *text);
int build_index(struct catalog *cat);
char *reserve_output(size_t size);
int render_summary(const struct catalog *cat);
void *xmalloc(size_t size);

#ifndef PLANTED_FIXED
/* Returns size bytes or ends the process: the program's stated policy on
 * running out of memory (bug 4 is that it exists: a sweep must say
 * "policy", once, not report every allocation behind it). */
NOINLINE void *xmalloc(size_t size)
{
    void *p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, "planted_sweep: out of memory (%zu bytes): giving up\n", size);
        exit(1);
    }
    return p;
}
#define ALLOC_OR_DIE(size) xmalloc(size)
#else
#define ALLOC_OR_DIE(size) malloc(size)
#endif

/* Returns a NUL-terminated copy of src[0..len), or NULL when out of memory. */
NOINLINE char *copy_name(const char *src, size_t len)
{
    char *name = malloc(len + 1);
#ifdef PLANTED_FIXED
    if (name == NULL)
        return NULL;
#endif
    /* Bug 1 (planted): no NULL check before the first store. */
    name[len] = '\0';
    memcpy(name, src, len);
    return name;
}

#if !defined(PLANTED_FIXED) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
/* gcc sees bug 2 at compile time; the sweep has to see it at run time. */
#pragma GCC diagnostic ignored "-Wuse-after-free"
#endif
/* Fills rec->tags from the comma-separated list[0..len); -1 when out of
 * memory (rec then holds the tags copied so far, for record_free). */
NOINLINE int parse_tags(struct record *rec, const char *list, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += list[i] == ',';
    char *work = strndup(list, len);   /* strtok_r writes into it */
    if (work == NULL)
        return -1;
    rec->tags = calloc(n, sizeof *rec->tags);
    if (rec->tags == NULL) {
        free(work);
        return -1;
    }
    char *save = NULL;
    for (char *t = strtok_r(work, ", ", &save); t != NULL; t = strtok_r(NULL, ", ", &save)) {
        char *tag = strdup(t);
        if (tag == NULL) {
#ifndef PLANTED_FIXED
            /* Bug 2 (planted): 'fail' below frees work as well. */
            free(work);
#endif
            goto fail;
        }
        rec->tags[rec->ntags++] = tag;
    }
    free(work);
    return 0;
fail:
    free(work);
    return -1;
}

/* Parses one line "NAME: TAG,..." into rec; -1 with a message on a bad
 * line or when out of memory. */
NOINLINE int parse_record(struct record *rec, const char *line, size_t len, size_t lineno)
{
    const char *colon = memchr(line, ':', len);
    if (colon == NULL || colon == line) {
        fprintf(stderr, "planted_sweep: line %zu: expected 'NAME: TAG,...'\n", lineno);
        return -1;
    }
    rec->name = copy_name(line, (size_t)(colon - line));
    if (rec->name == NULL || parse_tags(rec, colon + 1, len - (size_t)(colon + 1 - line)) != 0) {
        fprintf(stderr, "planted_sweep: line %zu: out of memory\n", lineno);
        return -1;
    }
    return 0;
}

/* Frees a record and everything it holds (a partial one too). */
static void record_free(struct record *rec)
{
    if (rec == NULL)
        return;
    for (size_t i = 0; i < rec->ntags; i++)
        free(rec->tags[i]);
    free(rec->tags);
    free(rec->name);
    free(rec);
}

/* Frees the catalogue's records and index. */
static void catalog_free(struct catalog *cat)
{
    for (size_t i = 0; i < cat->n; i++)
        record_free(cat->recs[i]);
    free(cat->recs);
    free(cat->counts);
}

/* Parses every non-empty, non-comment line of text into cat; -1 with a
 * message when a line is bad or memory runs out (cat stays freeable). */
NOINLINE int parse_catalog(struct catalog *cat, const char *text)
{
    size_t lineno = 0;
    for (const char *line = text; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        lineno++;
        if (len > 0 && line[0] != '#') {
            if (cat->n == cat->cap) {
                size_t cap = cat->cap != 0 ? 2 * cat->cap : 2;
                struct record **grown = realloc(cat->recs, cap * sizeof *grown);
                if (grown == NULL) {
                    fprintf(stderr, "planted_sweep: out of memory for %zu records\n", cap);
                    return -1;
                }
                cat->recs = grown;
                cat->cap = cap;
            }
            struct record *rec = ALLOC_OR_DIE(sizeof *rec);
            if (rec == NULL) {
                fprintf(stderr, "planted_sweep: line %zu: out of memory\n", lineno);
                return -1;
            }
            memset(rec, 0, sizeof *rec);
            cat->recs[cat->n++] = rec;
            if (parse_record(rec, line, len, lineno) != 0)
                return -1;
        }
        line += len + (end != NULL);
    }
    return 0;
}

static int compare_tags(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Counts each distinct tag of the catalogue into cat->counts, sorted; -1
 * with a message when out of memory. */
NOINLINE int build_index(struct catalog *cat)
{
    size_t total = 0;
    for (size_t i = 0; i < cat->n; i++)
        total += cat->recs[i]->ntags;
    if (total == 0)
        return 0;
    /* Scratch: every tag once per record, sorted so equal tags meet.
     * An insertion sort: qsort may allocate, and the program should make
     * the same allocations on every run. */
    const char **all = malloc(total * sizeof *all);
    if (all == NULL) {
        fprintf(stderr, "planted_sweep: out of memory for the tag index\n");
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < cat->n; i++)
        for (size_t j = 0; j < cat->recs[i]->ntags; j++) {
            const char *t = cat->recs[i]->tags[j];
            size_t at = k++;
            while (at > 0 && compare_tags(&all[at - 1], &t) > 0) {
                all[at] = all[at - 1];
                at--;
            }
            all[at] = t;
        }
    size_t distinct = 1;
    for (size_t i = 1; i < total; i++)
        distinct += strcmp(all[i - 1], all[i]) != 0;
    cat->counts = malloc(distinct * sizeof *cat->counts);
    if (cat->counts == NULL) {
        fprintf(stderr, "planted_sweep: out of memory for the tag index\n");
#ifndef PLANTED_FIXED
        /* Bug 3 (planted): returns without freeing all, which leaks. */
        return -1;
#endif
        free(all);
        return -1;
    }
    for (size_t i = 0; i < total; i++) {
        if (i == 0 || strcmp(all[i - 1], all[i]) != 0)
            cat->counts[cat->ncounts++] = (struct tag_count){all[i], 0};
        cat->counts[cat->ncounts - 1].count++;
    }
    free(all);
    return 0;
}

#ifndef PLANTED_FIXED
/* Bug 5 (planted): "waits for memory" by retrying for ever; when every
 * allocation fails from here on, the program never ends.  The counter is
 * volatile so that the loop is not assumed to end. */
static volatile unsigned long output_retries;
#endif

/* Returns size bytes for the summary, or NULL when out of memory. */
NOINLINE char *reserve_output(size_t size)
{
    char *out;
#ifndef PLANTED_FIXED
    while ((out = malloc(size)) == NULL)
        output_retries++;
#else
    /* A transient shortage is worth a few retries; a lasting one is not. */
    for (int attempt = 0; attempt < 3; attempt++)
        if ((out = malloc(size)) != NULL)
            return out;
#endif
    return out;
}

/* Prints one line per record and one per distinct tag; -1 with a message
 * when out of memory. */
NOINLINE int render_summary(const struct catalog *cat)
{
    size_t lines = cat->n + cat->ncounts;
    size_t *lens = ALLOC_OR_DIE((lines + 1) * sizeof *lens);
    if (lens == NULL) {
        fprintf(stderr, "planted_sweep: out of memory for the summary\n");
        return -1;
    }
    /* snprintf with a NULL buffer measures without allocating. */
    size_t total = 1;
    for (size_t i = 0; i < cat->n; i++)
        total += lens[i] = (size_t)snprintf(NULL, 0, "record %s: %zu tag(s)\n",
                                            cat->recs[i]->name, cat->recs[i]->ntags);
    for (size_t i = 0; i < cat->ncounts; i++)
        total += lens[cat->n + i] = (size_t)snprintf(NULL, 0, "tag %s: %zu record(s)\n",
                                                     cat->counts[i].tag, cat->counts[i].count);
    char *out = reserve_output(total);
    if (out == NULL) {
        fprintf(stderr, "planted_sweep: out of memory for the summary\n");
        free(lens);
        return -1;
    }
    size_t at = 0;
    for (size_t i = 0; i < cat->n; i++)
        at += (size_t)snprintf(out + at, total - at, "record %s: %zu tag(s)\n",
                               cat->recs[i]->name, cat->recs[i]->ntags);
    for (size_t i = 0; i < cat->ncounts; i++)
        at += (size_t)snprintf(out + at, total - at, "tag %s: %zu record(s)\n",
                               cat->counts[i].tag, cat->counts[i].count);
    /* stdio's buffer is the last allocation: when it fails, stdio writes
     * unbuffered, and the run ends as the fault-free one does. */
    int rc = fputs(out, stdout) == EOF || fflush(stdout) != 0 ? -1 : 0;
    if (rc != 0)
        fprintf(stderr, "planted_sweep: cannot write the summary\n");
    free(out);
    free(lens);
    return rc;
}

/* Reads the file at path into a NUL-terminated buffer with open/read (no
 * stdio, whose buffer would be an allocation whose failure is absorbed);
 * -1 with a message on any failure. */
static int read_file(const char *path, char **out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "planted_sweep: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_INPUT) {
        fprintf(stderr, "planted_sweep: %s: not a regular file of at most %d bytes\n",
                path, MAX_INPUT);
        close(fd);
        return -1;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        fprintf(stderr, "planted_sweep: out of memory reading %s\n", path);
        close(fd);
        return -1;
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            fprintf(stderr, "planted_sweep: cannot read %s\n", path);
            free(buf);
            close(fd);
            return -1;
        }
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    *out = buf;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: planted_sweep INPUT (lines 'NAME: TAG,TAG,...')\n");
        return 2;
    }
    char *text;
    if (read_file(argv[1], &text) != 0)
        return 1;
    struct catalog cat = {0};
    int rc = parse_catalog(&cat, text);
    if (rc == 0)
        rc = build_index(&cat);
    if (rc == 0)
        rc = render_summary(&cat);
    catalog_free(&cat);
    free(text);
    return rc == 0 ? 0 : 1;
}
