/* libFuzzer target `free_structures`: every Free function of docs/CONTRACT.md
 * section 4 on a caller-built structure that the input describes, decoded
 * by the descriptions' generator (harness/nap/nap_types.h,
 * harness/core/include/memharness/shape_gen.h) and checked by the shape checker: every
 * reachable block freed exactly once, children first, nothing else freed,
 * each COM connection released once, the caller's variable untouched.
 *
 * Input (missing bytes read as 0):
 *   [0]     which Free function: index into nap_free_targets (modulo)
 *   [1]     fault schedule (schedule_byte.h) while the structure is built:
 *           a refused block leaves its pointer NULL under its chosen count
 *   [2]     FreeSoHAttributeValue's type: index into the type probes
 *   [3..]   the generator's choices (counts, NULL pointers, COM slots)
 * Any contract violation aborts with the check_ctx report. */
#include <stddef.h>
#include <stdint.h>

#include <memharness/fault.h>
#include "nap_shape_case.h"
#include "nap_free_targets.h"
#include "schedule_byte.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t byte_at(const uint8_t *data, size_t size, size_t i)
{
    return i < size ? data[i] : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const nap_free_target *t = &nap_free_targets[byte_at(data, size, 0) % nap_free_target_count];
    fuzz_schedule sched = fuzz_schedule_decode(byte_at(data, size, 1));
    long tag = t->tagged ? nap_soh_attribute_type_probes[byte_at(data, size, 2) %
                                                         nap_soh_attribute_type_probe_count]
                         : 0;
    const uint8_t *choices = size > 3 ? data + 3 : data;
    size_t choices_len = size > 3 ? size - 3 : 0;

    fuzz_verdict_begin();
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    nap_shape_case c = {t->function, tag, 0, SHAPE_GEN_RANDOM, 0};
    fuzz_schedule_arm(sched);
    nap_shape_case_run_stream(&ctx, &c, choices, choices_len);
    fault_disarm();
    fuzz_verdict_end(&ctx, sched, "%s (type %ld) on a structure from %zu choice byte(s)",
                     t->function, tag, choices_len);
    return 0;
}
