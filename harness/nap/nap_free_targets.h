/* The NapUtil Free functions as the shape checks and fuzz targets drive
 * them: for each, the description (nap_types.h) of the structure it takes
 * and one uniform way to call it; and the SoHAttributeType values worth
 * trying. */
#ifndef HARNESS_NAP_FREE_TARGETS_H
#define HARNESS_NAP_FREE_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "nap_types.h"

/* How one Free function takes its structure. */
typedef struct nap_free_target {
    const char *function;
    const shape_type *type;
    bool array_root; /* the argument is count contiguous elements */
    bool tagged;     /* a SoHAttributeType argument selects the union arm */
    /* Calls the function on root (count elements, arm tag); returns false
     * when it wrote to the caller's variable (contract section 4). */
    bool (*call)(void *root, size_t count, long tag);
} nap_free_target;

/* Every Free function of the contract, in its order. */
extern const nap_free_target nap_free_targets[];
extern const size_t nap_free_target_count;
/* The entry for a Free function by name, or NULL. */
const nap_free_target *nap_free_target_find(const char *function);

/* The SoHAttributeType values worth generating for FreeSoHAttributeValue:
 * every value 0 .. 20 (defined and undefined around the defined range),
 * 255 and 65535. */
extern const long nap_soh_attribute_type_probes[];
extern const size_t nap_soh_attribute_type_probe_count;

#endif
