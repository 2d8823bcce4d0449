/* Small readers of shape descriptions (see shape_desc.h). */
#include <memharness/shape_desc.h>

#include <stdint.h>
#include <string.h>

const shape_member *shape_union_arm(const shape_type *t, long tag)
{
    for (size_t i = 0; i < t->tag_count; i++)
        if (t->tags[i].tag == tag)
            return &t->members[t->tags[i].arm];
    return &t->members[t->default_arm];
}

unsigned long long shape_read_uint(const void *p, size_t size)
{
    switch (size) {
    case 1: {
        uint8_t v;
        memcpy(&v, p, 1);
        return v;
    }
    case 2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    case 8: {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    default:
        return 0;
    }
}

void shape_write_uint(void *p, size_t size, unsigned long long v)
{
    switch (size) {
    case 1: {
        uint8_t x = (uint8_t)v;
        memcpy(p, &x, 1);
        break;
    }
    case 2: {
        uint16_t x = (uint16_t)v;
        memcpy(p, &x, 2);
        break;
    }
    case 4: {
        uint32_t x = (uint32_t)v;
        memcpy(p, &x, 4);
        break;
    }
    case 8: {
        uint64_t x = (uint64_t)v;
        memcpy(p, &x, 8);
        break;
    }
    default:
        break;
    }
}

size_t shape_extent_bytes(const shape_member *m, size_t n)
{
    size_t elem = m->type->size;
    switch (m->extent) {
    case SHAPE_ONE:
        return elem;
    case SHAPE_STRING:
    case SHAPE_CSTRING:
        return (n + 1) * elem;
    case SHAPE_LIST:
        return elem;
    case SHAPE_ELEMS:
    case SHAPE_ELEMS_CAP: /* the least; a capacity member may want more */
    default:
        return n * elem;
    }
}

bool shape_member_borrowed(const shape_member *m, const void *holder)
{
    if (m->own_size == 0)
        return false;
    return (shape_read_uint((const char *)holder + m->own_offset, m->own_size) & m->own_mask) != 0;
}

const shape_member *shape_link_member(const shape_type *t)
{
    if (t->kind != SHAPE_STRUCT)
        return NULL;
    for (size_t i = 0; i < t->member_count; i++)
        if (t->members[i].kind == SHAPE_M_LINK)
            return &t->members[i];
    return NULL;
}
