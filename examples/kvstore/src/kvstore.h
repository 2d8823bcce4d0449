/* kvstore: a tiny key-value parser, the code under test of this example.
 * It knows nothing of memharness and allocates with the plain C allocator. */
#ifndef KVSTORE_H
#define KVSTORE_H

#include <stddef.h>

typedef struct kv_pair {
    size_t key_len;
    char *key;        /* key_len + 1 bytes, NUL-terminated */
    size_t value_len;
    char *value;      /* value_len + 1 bytes, NUL-terminated */
} kv_pair;

typedef struct kv_store {
    size_t count;
    kv_pair *pairs;   /* count elements */
} kv_store;

/* Parses "key=value;key=value" into a new store in *out and returns 0; on
 * malformed text or out of memory returns -1, sets *out to NULL and keeps
 * nothing allocated. */
int kv_parse(const char *text, kv_store **out);
/* The value stored under key, or NULL. */
const char *kv_get(const kv_store *store, const char *key);
/* Frees a store from kv_parse and everything it holds (NULL is a no-op). */
void kv_free(kv_store *store);

#endif
