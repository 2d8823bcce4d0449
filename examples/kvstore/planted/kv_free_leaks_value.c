/* PLANTED BUG (the example's proof that the check can fail): kv_free that
 * forgets each pair's value.  The check must name the member path,
 * "store.pairs[0].value: leaked (not freed)". */
#include "kvstore.h"

#include <stdlib.h>

void kv_free(kv_store *store)
{
    if (!store)
        return;
    for (size_t i = 0; i < store->count; i++)
        free(store->pairs[i].key);
    free(store->pairs);
    free(store);
}
