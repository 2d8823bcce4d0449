/* Waivers: harness findings that are known and accepted, each with the
 * reason why.  A waived finding is not a failure (check_fail does not count
 * it) but is still reported, as waived; a waiver that matched nothing by
 * the end of the process is listed as stale, so that waivers do not outlive
 * the bug they hide.  The file holds one waiver per line, each right after
 * the '#' comment line(s) saying why it exists (a blank line ends a reason):
 *
 *   # libfoo 2.1 keeps its parse cache for the life of the process
 *   # (upstream bug 1234): drop this when the distro ships 2.2.
 *   call=foo_parse kind=leak at=*libfoo.so.2+0x41a0*
 *
 * Fields, separated by spaces; each value a pattern in which '*' matches
 * any run of characters and nothing else is special ("[*]" is a bracket,
 * any index, a bracket):
 *   call=  the function the finding names (its text before the first ": ")
 *          or the check context it was recorded under; required
 *   kind=  what went wrong, one of the names in waiver_kinds below, or *;
 *          required
 *   path=  the member path the finding names (right after the function)
 *   at=    the allocating stack the finding names (after "allocated at ")
 *          one of path= and at= is required.
 * A malformed file stops the program with "FILE:LINE: error: ..." (running
 * without the waivers asked for, or with more than was meant, would be a
 * silent verdict change).  Loaded before main from $MEMHARNESS_WAIVERS
 * ($NAPUTIL_WAIVERS is the same), or by waiver_load. */
#ifndef HARNESS_WAIVER_H
#define HARNESS_WAIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The kinds a waiver may name, NULL-terminated; a finding's kind is read
 * from its text ("leaked" is a leak, "wrong size" a size, ...). */
extern const char *const waiver_kinds[];

/* Adds the waivers of the file at path; false (nothing added) with
 * "PATH:LINE: error: ..." in err when the file is malformed or unreadable. */
bool waiver_load(const char *path, char *err, size_t errlen);
/* Adds one waiver given as a file line's fields, with its reason; source
 * names it in reports ("FILE:LINE" or any label).  False, with the error in
 * err, when malformed or the reason is empty. */
bool waiver_add(const char *fields, const char *reason, const char *source, char *err,
                size_t errlen);
/* True when a waiver covers the finding `text` recorded under `context`;
 * it is then written to the report stream as waived and counted. */
bool waiver_waives(const char *context, const char *text);
/* Findings waived since the last waiver_reset. */
unsigned waiver_waived_count(void);
/* Writes one line per waiver that matched no finding yet (stale) to out;
 * returns how many. */
size_t waiver_list_stale(FILE *out);
/* Where waived findings and, at exit, stale waivers are reported
 * (stderr unless set; NULL: stderr). */
void waiver_report_to(FILE *out);
/* Drops every waiver and zeroes the count. */
void waiver_reset(void);

#endif
