#include "kvstore.h"

#include <stdlib.h>

void kv_free(kv_store *store)
{
    if (!store)
        return;
    for (size_t i = 0; i < store->count; i++) {
        free(store->pairs[i].key);
        free(store->pairs[i].value);
    }
    free(store->pairs);
    free(store);
}
