/* The wrap seam's fixture, part built with _FORTIFY_SOURCE (and the
 * optimisation it needs), so that its asprintf is __asprintf_chk. */
#include "wrapped_cut.h"

#include <stdio.h>

int cut_asprintf_fortified(char **s, int v)
{
    return asprintf(s, "<%d>", v);
}
