/* The wrap seam's fixture, tempnam apart: libc's link-time warning about
 * tempnam then reaches only the programs that call it. */
#include "wrapped_cut.h"

#include <stdio.h>

char *cut_tempnam(const char *dir, const char *pfx)
{
    return tempnam(dir, pfx);
}
