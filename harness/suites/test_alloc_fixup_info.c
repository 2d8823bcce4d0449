/* AllocFixupInfo against docs/CONTRACT.md section 3: every valid count 0..1000
 * in one test (one process, cheap under Valgrind), the counts above the
 * maximum, and a NULL out pointer. */
#include <criterion/criterion.h>

#include "counted_alloc_cases.h"

COUNTED_ALLOC_API(FixupInfo, AllocFixupInfo, FreeFixupInfo, nap_expect_fixup_info_shape,
                  maxDwordCountPerSoHAttribute, "the results array");

COUNTED_ALLOC_SUITE(alloc_fixup_info, every_valid_count_0_to_1000)
