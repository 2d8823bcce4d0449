/* One description per NAP structure (docs/CONTRACT.md sections 1, 3 and 4), in
 * the format of harness/core/shape_desc.h, and the table that says which
 * description each Free function takes.  The walker, the checkers, the
 * generators and fuzz decoders read these; nothing else in the harness
 * spells out where a NAP structure keeps its pointers. */
#ifndef HARNESS_NAP_TYPES_H
#define HARNESS_NAP_TYPES_H

#include <stdbool.h>
#include <stddef.h>

#include "naputil.h"
#include "shape_desc.h"

extern const shape_type nap_type_CountedString;
extern const shape_type nap_type_ResultCodes;
extern const shape_type nap_type_FixupInfo;
extern const shape_type nap_type_IsolationInfo;
extern const shape_type nap_type_IsolationInfoEx;
extern const shape_type nap_type_SoHAttribute;
extern const shape_type nap_type_SoH;
extern const shape_type nap_type_NetworkSoH;
extern const shape_type nap_type_PrivateData;
extern const shape_type nap_type_SystemHealthAgentState;
extern const shape_type nap_type_NapComponentRegistrationInfo;
extern const shape_type nap_type_Connections;
extern const shape_type nap_type_SoHAttributeValue; /* a union: the tag is a SoHAttributeType */

/* The largest NapComponentRegistrationInfo array the generators build: the
 * reference sets no limit; one per possible SHA and enforcer. */
#define NAP_REGISTRATION_ARRAY_MAX (maxSystemHealthEntityCount + maxEnforcerCount)

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
