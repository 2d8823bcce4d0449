#include "kvstore.h"

#include <stdlib.h>
#include <string.h>

static size_t count_items(const char *text)
{
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ';';
    return n;
}

static int parse_item(const char *item, size_t len, kv_pair *pair)
{
    const char *eq = memchr(item, '=', len);
    if (!eq || eq == item)
        return -1;
    pair->key_len = (size_t)(eq - item);
    pair->key = strndup(item, pair->key_len);
    if (!pair->key)
        return -1;
    pair->value_len = len - pair->key_len - 1;
    pair->value = malloc(pair->value_len + 1);
    if (!pair->value)
        return -1;
    memcpy(pair->value, eq + 1, pair->value_len);
    pair->value[pair->value_len] = '\0';
    return 0;
}

int kv_parse(const char *text, kv_store **out)
{
    *out = NULL;
    if (!text || !*text)
        return -1;
    kv_store *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    size_t n = count_items(text);
    s->pairs = calloc(n, sizeof *s->pairs);
    if (!s->pairs) {
        free(s);
        return -1;
    }
    const char *item = text;
    for (size_t i = 0; i < n; i++) {
        const char *end = strchr(item, ';');
        size_t len = end ? (size_t)(end - item) : strlen(item);
        /* Counted before parsing, so that kv_free sees a half-built pair. */
        s->count = i + 1;
        if (parse_item(item, len, &s->pairs[i]) != 0) {
            kv_free(s);
            return -1;
        }
        item = end ? end + 1 : item + len;
    }
    *out = s;
    return 0;
}

const char *kv_get(const kv_store *store, const char *key)
{
    for (size_t i = 0; store && i < store->count; i++)
        if (strcmp(store->pairs[i].key, key) == 0)
            return store->pairs[i].value;
    return NULL;
}
