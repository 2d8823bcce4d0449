/* One description per NAP structure (docs/CONTRACT.md sections 1, 3 and 4), in
 * the format of harness/core/include/memharness/shape_desc.h.  The walker, the checkers, the
 * generators and fuzz decoders read these; nothing else in the harness
 * spells out where a NAP structure keeps its pointers.  Which description
 * each Free function takes: nap_free_targets.h. */
#ifndef HARNESS_NAP_TYPES_H
#define HARNESS_NAP_TYPES_H

#include "naputil.h"
#include <memharness/shape_desc.h>

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

#endif
