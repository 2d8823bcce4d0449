/* Waivers (see waiver.h): the table, one line's fields, and the matching
 * of a finding's text.  The constructor that reads the environment
 * (waiver_env.c) is here because check.c links this object: it must come
 * with it. */
#include <memharness/waiver.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "waiver_table.h"

const char *const waiver_kinds[] = {
    "leak",     "size",     "terminator",   "nonzero", "null", "shared", "cycle",     "pointer",
    "double-free", "order", "borrowed", "foreign-free", "com", "old-block", "other", NULL,
};

/* A finding's kind from phrases of its text, first match wins: the
 * checkers' messages (shape_check.c, the tracker's verdicts) each hold one. */
static const struct {
    const char *kind;
    const char *phrase;
} kind_phrases[] = {
    {"old-block", "existed before the call"},
    {"double-free", "freed twice"},
    {"order", "freed after"},
    {"borrowed", "does not own it"},
    {"foreign-free", "not reachable from the argument"},
    {"foreign-free", "neither reachable nor"},
    {"foreign-free", "inside a block"},
    {"foreign-free", "read from freed memory"},
    {"leak", "leaked"},
    {"cycle", "a cycle of owned pointers"},
    {"shared", "share one block"},
    {"size", "wrong size"},
    {"size", "no terminating zero within"},
    {"size", "is smaller than its count"},
    {"size", "is less than its count"},
    {"terminator", "missing terminating zero"},
    {"null", "is NULL but its count"},
    {"nonzero", "expected 0"},
    {"nonzero", "is not zero"},
    {"com", "expected a NULL slot"},
    {"com", "COM object"},
    {"com", "released"},
    {"com", "AddRef"},
    {"com", "interface methods"},
    {"pointer", "points "},
    {"pointer", "is not a live"},
    {"pointer", "but its array"},
    {"pointer", "described as an element"},
};

typedef struct waiver {
    char *call, *kind, *path, *at; /* patterns; path or at may be NULL */
    char *reason;
    char *source;
    unsigned matched;
} waiver;

/* The harness's own bookkeeping: plain malloc, like the shape walker's, and
 * one lock because a check may fail on any thread. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static waiver *table;
static size_t count, cap;
static unsigned waived;
static FILE *report_out;

static FILE *out_stream(void)
{
    return report_out != NULL ? report_out : stderr;
}

/* '*' matches any run of characters; every other character itself. */
static bool glob(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s != '\0') {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat == *s) {
            pat++;
            s++;
        } else if (star != NULL) {
            pat = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

static const char *kind_of(const char *text)
{
    for (size_t i = 0; i < sizeof kind_phrases / sizeof kind_phrases[0]; i++)
        if (strstr(text, kind_phrases[i].phrase) != NULL)
            return kind_phrases[i].kind;
    return "other";
}

static void free_waiver(waiver *w)
{
    free(w->call);
    free(w->kind);
    free(w->path);
    free(w->at);
    free(w->reason);
    free(w->source);
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static bool known_kind(const char *k)
{
    if (strcmp(k, "*") == 0)
        return true;
    for (size_t i = 0; waiver_kinds[i] != NULL; i++)
        if (strcmp(k, waiver_kinds[i]) == 0)
            return true;
    return false;
}

static void kinds_list(char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; waiver_kinds[i] != NULL && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "",
                                 waiver_kinds[i]);
}

/* Parses "call=... kind=... path=... at=..." into w; false with the error. */
static bool parse_fields(const char *fields, waiver *w, char *err, size_t errlen)
{
    static const char *const names[] = {"call", "kind", "path", "at"};
    char **slots[] = {&w->call, &w->kind, &w->path, &w->at};
    const char *p = fields;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        size_t len = strcspn(p, " \t");
        const char *eq = memchr(p, '=', len);
        if (eq == NULL) {
            snprintf(err, errlen, "'%.*s' is not NAME=PATTERN (names: call, kind, path, at)",
                     (int)len, p);
            return false;
        }
        size_t nlen = (size_t)(eq - p);
        size_t k = 0;
        while (k < 4 && !(strlen(names[k]) == nlen && strncmp(names[k], p, nlen) == 0))
            k++;
        if (k == 4) {
            snprintf(err, errlen, "unknown field '%.*s' (known: call, kind, path, at)",
                     (int)nlen, p);
            return false;
        }
        if (*slots[k] != NULL) {
            snprintf(err, errlen, "field '%s' given twice", names[k]);
            return false;
        }
        if (eq + 1 == p + len) {
            snprintf(err, errlen, "field '%s' is empty (write %s=* to match anything)", names[k],
                     names[k]);
            return false;
        }
        *slots[k] = dup_n(eq + 1, len - nlen - 1);
        if (*slots[k] == NULL) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        p += len;
    }
    if (w->call == NULL || w->kind == NULL) {
        snprintf(err, errlen, "a waiver needs call= and kind= (which check, what finding)");
        return false;
    }
    if (w->path == NULL && w->at == NULL) {
        snprintf(err, errlen, "a waiver needs path= or at= (where the finding is; * for "
                              "anywhere, said on purpose)");
        return false;
    }
    if (!known_kind(w->kind)) {
        char kinds[256];
        kinds_list(kinds, sizeof kinds);
        snprintf(err, errlen, "unknown kind '%s' (known: %s, or *)", w->kind, kinds);
        return false;
    }
    return true;
}

bool waiver_add(const char *fields, const char *reason, const char *source, char *err,
                size_t errlen)
{
    waiver w = {0};
    const char *r = reason != NULL ? reason + strspn(reason, " \t") : "";
    if (*r == '\0') {
        snprintf(err, errlen, "a waiver without a reason: put a '# why' comment line right "
                              "above it");
        return false;
    }
    if (!parse_fields(fields, &w, err, errlen)) {
        free_waiver(&w);
        return false;
    }
    w.reason = strdup(r);
    w.source = strdup(source != NULL ? source : "waiver_add");
    pthread_mutex_lock(&lock);
    bool ok = w.reason != NULL && w.source != NULL;
    if (ok && count == cap) {
        size_t grown_cap = cap ? cap * 2 : 8;
        waiver *grown = realloc(table, grown_cap * sizeof *grown);
        ok = grown != NULL;
        if (ok) {
            table = grown;
            cap = grown_cap;
        }
    }
    if (ok)
        table[count++] = w;
    pthread_mutex_unlock(&lock);
    if (!ok) {
        free_waiver(&w);
        snprintf(err, errlen, "out of memory");
    }
    return ok;
}

size_t waiver_table_count(void)
{
    pthread_mutex_lock(&lock);
    size_t n = count;
    pthread_mutex_unlock(&lock);
    return n;
}

void waiver_table_truncate(size_t n)
{
    pthread_mutex_lock(&lock);
    while (count > n)
        free_waiver(&table[--count]);
    pthread_mutex_unlock(&lock);
}

/* The finding's function: its text before the first ": ". */
static void field_fn(const char *text, char *out, size_t len)
{
    const char *colon = strstr(text, ": ");
    size_t n = colon != NULL ? (size_t)(colon - text) : 0;
    snprintf(out, len, "%.*s", (int)n, text);
}

/* The member path right after the function: up to a space, ':' or '='. */
static void field_path(const char *text, char *out, size_t len)
{
    const char *colon = strstr(text, ": ");
    const char *p = colon != NULL ? colon + 2 : text;
    size_t n = strcspn(p, " :=");
    snprintf(out, len, "%.*s", (int)n, p);
}

static bool matches(const waiver *w, const char *context, const char *text, const char *fn,
                    const char *path, const char *kind)
{
    if (!glob(w->call, fn) && !glob(w->call, context))
        return false;
    if (strcmp(w->kind, "*") != 0 && strcmp(w->kind, kind) != 0)
        return false;
    if (w->path != NULL && !glob(w->path, path))
        return false;
    if (w->at != NULL) {
        const char *at = strstr(text, "allocated at ");
        if (at == NULL || !glob(w->at, at + strlen("allocated at ")))
            return false;
    }
    return true;
}

bool waiver_waives(const char *context, const char *text)
{
    if (context == NULL)
        context = "";
    pthread_mutex_lock(&lock);
    if (count == 0) {
        pthread_mutex_unlock(&lock);
        return false;
    }
    char fn[256], path[256];
    field_fn(text, fn, sizeof fn);
    field_path(text, path, sizeof path);
    const char *kind = kind_of(text);
    waiver *hit = NULL;
    for (size_t i = 0; i < count && hit == NULL; i++)
        if (matches(&table[i], context, text, fn, path, kind))
            hit = &table[i];
    if (hit != NULL) {
        hit->matched++;
        waived++;
        fprintf(out_stream(), "memharness: waived by %s (%s): %s%s%s\n", hit->source,
                hit->reason, context, *context ? ": " : "", text);
        fflush(out_stream());
    }
    pthread_mutex_unlock(&lock);
    return hit != NULL;
}

unsigned waiver_waived_count(void)
{
    pthread_mutex_lock(&lock);
    unsigned n = waived;
    pthread_mutex_unlock(&lock);
    return n;
}

size_t waiver_list_stale(FILE *out)
{
    size_t stale = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < count; i++) {
        const waiver *w = &table[i];
        if (w->matched != 0)
            continue;
        stale++;
        fprintf(out, "%s: warning: stale waiver, it matched no finding in this run: call=%s "
                     "kind=%s%s%s%s%s\n",
                w->source, w->call, w->kind, w->path ? " path=" : "", w->path ? w->path : "",
                w->at ? " at=" : "", w->at ? w->at : "");
    }
    pthread_mutex_unlock(&lock);
    fflush(out);
    return stale;
}

void waiver_report_to(FILE *out)
{
    pthread_mutex_lock(&lock);
    report_out = out;
    pthread_mutex_unlock(&lock);
}

void waiver_reset(void)
{
    waiver_table_truncate(0);
    pthread_mutex_lock(&lock);
    free(table);
    table = NULL;
    cap = 0;
    waived = 0;
    pthread_mutex_unlock(&lock);
}

void waiver_table_mark(const char *source)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < count; i++)
        if (strcmp(table[i].source, source) == 0 && table[i].matched == 0)
            table[i].matched = 1;
    pthread_mutex_unlock(&lock);
}

void waiver_table_write_matched(FILE *out)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < count; i++)
        if (table[i].matched != 0)
            fprintf(out, "%s\n", table[i].source);
    pthread_mutex_unlock(&lock);
}

FILE *waiver_table_report_stream(void)
{
    pthread_mutex_lock(&lock);
    FILE *f = out_stream();
    pthread_mutex_unlock(&lock);
    return f;
}
