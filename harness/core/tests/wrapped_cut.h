/* The wrap seam's self-test fixture: see wrapped_cut.c.  Each function is
 * the C library function of the same suffix, called from the code under
 * test. */
#ifndef WRAPPED_CUT_H
#define WRAPPED_CUT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <wchar.h>

/* malloc(n), called from the code under test. */
void *cut_malloc(size_t n);
/* calloc(n, size), called from the code under test. */
void *cut_calloc(size_t n, size_t size);
/* realloc(p, n), called from the code under test. */
void *cut_realloc(void *p, size_t n);
/* strdup(s), called from the code under test. */
char *cut_strdup(const char *s);
/* strndup(s, n), called from the code under test. */
char *cut_strndup(const char *s, size_t n);
/* free(p), called from the code under test. */
void cut_free(void *p);

/* vasprintf of fmt and its arguments, called from the code under test;
 * NULL when vasprintf fails. */
char *cut_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* reallocarray(p, n, size), called from the code under test. */
void *cut_reallocarray(void *p, size_t n, size_t size);
/* wcsdup(s), called from the code under test. */
wchar_t *cut_wcsdup(const wchar_t *s);
/* posix_memalign(p, align, size), called from the code under test. */
int cut_posix_memalign(void **p, size_t align, size_t size);
/* aligned_alloc(align, size), called from the code under test. */
void *cut_aligned_alloc(size_t align, size_t size);
/* memalign(align, size), called from the code under test. */
void *cut_memalign(size_t align, size_t size);
/* valloc(size), called from the code under test. */
void *cut_valloc(size_t size);
/* pvalloc(size), called from the code under test. */
void *cut_pvalloc(size_t size);
/* asprintf(s, "<%d>", v), called from the code under test. */
int cut_asprintf(char **s, int v);
/* getline(line, n, f), called from the code under test. */
ssize_t cut_getline(char **line, size_t *n, FILE *f);
/* getdelim(line, n, delim, f), called from the code under test. */
ssize_t cut_getdelim(char **line, size_t *n, int delim, FILE *f);
/* open_memstream(p, n), called from the code under test. */
FILE *cut_open_memstream(char **p, size_t *n);
/* open_wmemstream(p, n), called from the code under test. */
FILE *cut_open_wmemstream(wchar_t **p, size_t *n);
/* fclose(f), called from the code under test. */
int cut_fclose(FILE *f);
/* realpath(path, buf), called from the code under test. */
char *cut_realpath(const char *path, char *buf);
/* canonicalize_file_name(path), called from the code under test. */
char *cut_canonicalize_file_name(const char *path);
/* getcwd(buf, size), called from the code under test. */
char *cut_getcwd(char *buf, size_t size);
/* get_current_dir_name(), called from the code under test. */
char *cut_get_current_dir_name(void);
/* tempnam(dir, pfx), called from the code under test. */
char *cut_tempnam(const char *dir, const char *pfx);
/* scandir(dir, ..., alphasort) as compiled by the build (scandir64 under
 * _FILE_OFFSET_BITS=64), called from the code under test; *names receives
 * its struct dirent ** as an opaque array. */
int cut_scandir(const char *dir, char ***names);
/* The name of entry i of cut_scandir's array. */
const char *cut_dirent_name(char **names, int i);
/* scandir(dir, ..., alphasort) without _FILE_OFFSET_BITS (the 32-bit
 * offset name), as cut_scandir. */
int cut_scandir32(const char *dir, char ***names);
/* asprintf(s, "<%d>", v) built with _FORTIFY_SOURCE (__asprintf_chk). */
int cut_asprintf_fortified(char **s, int v);

#endif
