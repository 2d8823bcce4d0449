/* What waiver_file.c and waiver_env.c need of waiver.c's table beyond
 * waiver.h: a file is added whole or not at all, and the processes of one
 * run pool what their waivers matched. */
#ifndef HARNESS_WAIVER_TABLE_H
#define HARNESS_WAIVER_TABLE_H

#include <stddef.h>
#include <stdio.h>

/* Waivers in the table now. */
size_t waiver_table_count(void);
/* Drops the waivers added after the first n. */
void waiver_table_truncate(size_t n);
/* Counts the waiver named source ("FILE:LINE") as having matched. */
void waiver_table_mark(const char *source);
/* Writes the source of each waiver that matched, one per line. */
void waiver_table_write_matched(FILE *out);
/* Where waived findings and stale waivers are written. */
FILE *waiver_table_report_stream(void);
/* Loads $MEMHARNESS_WAIVERS ($NAPUTIL_WAIVERS) and arranges the stale list
 * at exit (waiver_env.c); run before main. */
void waiver_env_apply(void);

#endif
