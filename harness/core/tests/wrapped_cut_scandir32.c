/* The wrap seam's fixture, part built without large-file offsets, so that
 * its scandir is the plain symbol rather than scandir64. */
#undef _FILE_OFFSET_BITS
#include "wrapped_cut.h"

#include <dirent.h>
#include <stdlib.h>

int cut_scandir32(const char *dir, char ***names)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0)
        return n;
    *names = (char **)list;
    return n;
}
