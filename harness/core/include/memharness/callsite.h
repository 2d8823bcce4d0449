/* Turns a return address into something a person can act on:
 * "AllocConnections+0x2f (lib/src/connections.c:17)". */
#ifndef HARNESS_CALLSITE_H
#define HARNESS_CALLSITE_H

#include <stddef.h>

/* Writes a description of site into buf (always NUL-terminated); uses the
 * dynamic symbol table and, when present, addr2line for file and line. */
void callsite_describe(const void *site, char *buf, size_t len);

#endif
