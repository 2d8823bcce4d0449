/* The fault schedule a fuzz input chooses for the tracking allocator, from
 * one byte: bits 0-1 pick the mode (0 and 3 none, 1 transient, 2
 * persistent), bits 2-3 the allocation k (1..4) that fails first.  The
 * Alloc functions make at most two allocations, so k up to 4 also covers
 * "armed but never reached".  Shared by every target so that a corpus
 * byte means the same thing everywhere. */
#ifndef FUZZ_SCHEDULE_BYTE_H
#define FUZZ_SCHEDULE_BYTE_H

#include <stdint.h>

#include <memharness/fault.h>

typedef struct fuzz_schedule {
    fault_mode mode; /* FAULT_OFF, FAULT_TRANSIENT or FAULT_PERSISTENT */
    uint64_t k;      /* 1-based allocation that fails first; 0 when off */
} fuzz_schedule;

/* Decodes one input byte into a schedule (any byte is a valid schedule). */
fuzz_schedule fuzz_schedule_decode(uint8_t byte);
/* Arms the injector with the schedule (fault_reset first, so no state of
 * the previous input survives). */
void fuzz_schedule_arm(fuzz_schedule s);
/* Short description for messages: "no faults", "transient fault at 2". */
const char *fuzz_schedule_describe(fuzz_schedule s, char *buf, unsigned len);

#endif
