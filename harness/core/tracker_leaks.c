/* The leak report (see tracker.h): the live blocks, copied under the lock
 * by tracker_live_since, then put in words outside it, since naming each
 * stack's frames is slow. */
#include <memharness/tracker.h>

#include <stdio.h>
#include <stdlib.h>

size_t tracker_format_leaks(char *buf, size_t len, uint64_t min_seq)
{
    size_t n = tracker_live_since(min_seq, NULL, 0);
    if (len > 0)
        buf[0] = '\0';
    if (n == 0)
        return 0;
    tracker_block *blocks = malloc(n * sizeof *blocks);
    if (blocks == NULL)
        return n;
    n = tracker_live_since(min_seq, blocks, n);
    size_t used = 0;
    for (size_t i = 0; i < n && used + 1 < len; i++) {
        char where[900];
        tracker_describe_stack(&blocks[i], where, sizeof where);
        int w = snprintf(buf + used, len - used, "%sleaked block #%llu (%zu bytes) allocated at %s",
                         i ? "\n" : "", (unsigned long long)blocks[i].seq, blocks[i].size, where);
        if (w < 0)
            break;
        used += (size_t)w < len - used ? (size_t)w : len - used - 1;
    }
    free(blocks);
    return n;
}

size_t tracker_report_leaks(FILE *f, uint64_t min_seq)
{
    char buf[16384];
    size_t n = tracker_format_leaks(buf, sizeof buf, min_seq);
    if (n > 0)
        fprintf(f, "%s\n", buf);
    return n;
}
