/* The shape of a cJSON tree (1.7.15's public struct), as data for the
 * harness's shape engine: next owns the following sibling, prev points back
 * (the first sibling's prev at the last one), child owns the first element
 * unless type has cJSON_IsReference, valuestring likewise, string (the
 * member name) unless type has cJSON_StringIsConst. */
#ifndef CJSON_CLIENT_TYPES_H
#define CJSON_CLIENT_TYPES_H

#include <memharness/shape_desc.h>

extern const shape_type cjson_type_item;

#endif
