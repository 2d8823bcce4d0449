/* The cJSON description (cjson_types.h). */
#include "cjson_types.h"

#include <cJSON.h>

static const shape_type t_char = SHAPE_LEAF_TYPE(char);

/* Generators only: how long lists and strings get. */
enum { MAX_ITEMS = 8, MAX_STRING = 64 };

static const shape_member item_m[] = {
    SHAPE_NEXT(cJSON, next, cjson_type_item),
    SHAPE_PREV(cJSON, prev, cjson_type_item, SHAPE_F_BACK_WRAP),
    SHAPE_LIST_UNLESS(cJSON, child, cjson_type_item, MAX_ITEMS, type, cJSON_IsReference),
    SHAPE_VALUE(cJSON, type),
    SHAPE_CSTR_UNLESS(cJSON, valuestring, t_char, MAX_STRING, type, cJSON_IsReference),
    SHAPE_VALUE(cJSON, valueint),
    SHAPE_VALUE(cJSON, valuedouble),
    SHAPE_CSTR_UNLESS(cJSON, string, t_char, MAX_STRING, type, cJSON_StringIsConst),
};
const shape_type cjson_type_item = SHAPE_TYPE(cJSON, item_m);
