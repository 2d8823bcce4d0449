/* Call sites as stacks: capture a few return addresses per allocation
 * cheaply (a frame-pointer walk), and turn them into something a person can
 * act on only when a report needs it, in process:
 * "parse_item (src/parse.c:24) <- parse (src/parse.c:52) <- ...". */
#ifndef HARNESS_CALLSITE_H
#define HARNESS_CALLSITE_H

#include <stddef.h>

/* Frames an allocation records (its site and the callers above it). */
#define CALLSITE_MAX_DEPTH 4

/* Fills out[0..max) with site and the return addresses of the frames above
 * the one that returns to site, innermost first; returns how many (at least
 * 1 when max >= 1).  Every address is a frame on the stack: frame pointers
 * are followed only out of code whose unwind tables say it keeps them; a
 * site in code without them is unwound from those tables, and a caller in
 * such code ends the stack. */
unsigned callsite_capture(const void *site, const void **out, unsigned max);

/* Forgets which code keeps frame pointers (after a dlclose, whose addresses
 * another object may reuse): the next capture reads the loaded objects
 * again. */
void callsite_forget_objects(void);

/* Writes a description of one return address into buf (always
 * NUL-terminated): function, file and line of the call, with the inline
 * chain ("inner (f.c:3) inlined in outer (f.c:9)"). */
void callsite_describe(const void *site, char *buf, size_t len);

/* Describes pcs[0..n), innermost first, joined by " <- ". */
void callsite_describe_stack(const void *const *pcs, unsigned n, char *buf, size_t len);

#endif
