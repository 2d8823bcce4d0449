/* The MEMHARNESS_FAULTS spec parser (see fault_configure in fault.h): turns a
 * spec string into one call of the injector's arming functions, or into an
 * error naming the spec, arming nothing. */
#include <memharness/fault.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

bool fault_configure(const char *spec, char *err, size_t errlen)
{
    char buf[128];
    if (spec == NULL || strlen(spec) >= sizeof buf) {
        snprintf(err, errlen, "fault spec missing or too long");
        return false;
    }
    strcpy(buf, spec);
    char *name = buf;
    char *arg1 = strchr(buf, ':');
    char *arg2 = NULL;
    if (arg1 != NULL) {
        *arg1++ = '\0';
        arg2 = strchr(arg1, ':');
        if (arg2 != NULL)
            *arg2++ = '\0';
    }
    if (strcmp(name, "off") == 0 && arg1 == NULL) {
        fault_reset();
        return true;
    }
    if (strcmp(name, "site") == 0 && arg2 == NULL) {
        uint64_t depth = 1;
        if (arg1 != NULL && (!parse_u64(arg1, &depth) || depth == 0 ||
                             depth > FAULT_MAX_DEPTH)) {
            snprintf(err, errlen,
                     "'%s': DEPTH must be a whole number from 1 to %d (e.g. site:3)", spec,
                     FAULT_MAX_DEPTH);
            return false;
        }
        fault_reset();
        fault_arm_sites_depth((unsigned)depth);
        return true;
    }
    if ((strcmp(name, "transient") == 0 || strcmp(name, "persistent") == 0) && arg2 == NULL) {
        uint64_t k;
        if (!parse_u64(arg1, &k) || k == 0) {
            snprintf(err, errlen, "'%s': K must be a whole number >= 1 (e.g. %s:3)", spec, name);
            return false;
        }
        fault_reset();
        fault_arm(name[0] == 't' ? FAULT_TRANSIENT : FAULT_PERSISTENT, k);
        return true;
    }
    if (strcmp(name, "random") == 0 && arg1 != NULL) {
        char *end;
        errno = 0;
        double p = strtod(arg1, &end);
        uint64_t seed = 1;
        if (errno != 0 || *end != '\0' || end == arg1 || !(p >= 0.0 && p <= 1.0) ||
            (arg2 != NULL && !parse_u64(arg2, &seed))) {
            snprintf(err, errlen, "'%s': expected random:P[:SEED] with 0 <= P <= 1", spec);
            return false;
        }
        fault_reset();
        fault_arm_random(p, seed);
        return true;
    }
    snprintf(err, errlen,
             "'%s': unknown fault spec (use off, transient:K, persistent:K, random:P[:SEED], "
             "site or site:DEPTH)",
             spec);
    return false;
}
