/* What the injector tells its recorders when it fails an allocation: the
 * sites file (fault_sites_file.c) and the failure log (fault_log.c).  Both
 * do nothing until a path is given (fault_sites_file, fault_log_file). */
#ifndef HARNESS_FAULT_RECORD_H
#define HARNESS_FAULT_RECORD_H

#include <stdint.h>

/* Site mode failed the site pcs[0..depth) for the first time. */
void fault_record_site(const void *const *pcs, unsigned depth);
/* An allocation was failed: mode name, its call number since the arming,
 * and the allocating stack, innermost first. */
void fault_record_failure(const char *mode, uint64_t call, const void *const *stack, unsigned n);

#endif
