/* The description of kvstore's heap structures, in memharness's shape
 * format: what the walker follows and the checkers compare with the
 * tracker.  Written once; every check below reads it. */
#include "kv_types.h"

static const shape_type t_char = SHAPE_LEAF_TYPE(char);

static const shape_member pair_m[] = {
    SHAPE_SCALAR(kv_pair, key_len),
    SHAPE_STRING(kv_pair, key, t_char, key_len, 4096),
    SHAPE_SCALAR(kv_pair, value_len),
    SHAPE_STRING(kv_pair, value, t_char, value_len, 4096),
};
static const shape_type t_pair = SHAPE_TYPE(kv_pair, pair_m);

static const shape_member store_m[] = {
    SHAPE_SCALAR(kv_store, count),
    SHAPE_ARRAY(kv_store, pairs, t_pair, count, 1024),
};
const shape_type kv_type_store = SHAPE_TYPE(kv_store, store_m);
