/* Fault schedules chosen by fuzz inputs (see schedule_byte.h). */
#include "schedule_byte.h"

#include <stdio.h>

fuzz_schedule fuzz_schedule_decode(uint8_t byte)
{
    fuzz_schedule s = {FAULT_OFF, 0};
    switch (byte & 3u) {
    case 1:
        s.mode = FAULT_TRANSIENT;
        break;
    case 2:
        s.mode = FAULT_PERSISTENT;
        break;
    default:
        return s;
    }
    s.k = 1u + ((byte >> 2) & 3u);
    return s;
}

void fuzz_schedule_arm(fuzz_schedule s)
{
    fault_reset();
    if (s.mode != FAULT_OFF)
        fault_arm(s.mode, s.k);
}

const char *fuzz_schedule_describe(fuzz_schedule s, char *buf, unsigned len)
{
    if (s.mode == FAULT_OFF)
        snprintf(buf, len, "no faults");
    else
        snprintf(buf, len, "%s fault at allocation %llu", fault_mode_name(s.mode),
                 (unsigned long long)s.k);
    return buf;
}
