/* kvstore's structures described for memharness's shape engine. */
#ifndef KV_TYPES_H
#define KV_TYPES_H

#include <memharness/shape_desc.h>

#include "kvstore.h"

/* A kv_store and everything it owns. */
extern const shape_type kv_type_store;

#endif
