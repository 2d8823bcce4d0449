/* Call-site descriptions for leak and misuse reports.  Only failure paths
 * call this, so spawning addr2line is affordable and gives file:line, which
 * is what curl's memdebug gets from its macros at compile time. */
#include "callsite.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void line_of(const char *object, uintptr_t offset, char *out, size_t len)
{
    out[0] = '\0';
    if (getenv("HARNESS_NO_ADDR2LINE") != NULL)
        return;
    char cmd[1024];
    /* The return address points after the call; step back into it. */
    snprintf(cmd, sizeof cmd, "addr2line -e '%s' 0x%lx 2>/dev/null", object,
             (unsigned long)(offset - 1));
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return;
    char line[512];
    if (fgets(line, sizeof line, p) != NULL && line[0] != '?') {
        line[strcspn(line, "\n")] = '\0';
        /* Keep the path short: from the project's top folders on. */
        const char *keep = line;
        static const char *const tops[] = {"/lib/", "/harness/", "/fuzz/"};
        for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++) {
            const char *hit = strstr(line, tops[i]);
            if (hit != NULL) {
                keep = hit + 1;
                break;
            }
        }
        snprintf(out, len, "%s", keep);
    }
    pclose(p);
}

void callsite_describe(const void *site, char *buf, size_t len)
{
    Dl_info info;
    if (site == NULL) {
        snprintf(buf, len, "(unknown site)");
        return;
    }
    if (dladdr(site, &info) == 0 || info.dli_fname == NULL) {
        snprintf(buf, len, "%p", site);
        return;
    }
    char where[512];
    line_of(info.dli_fname, (uintptr_t)site - (uintptr_t)info.dli_fbase, where, sizeof where);
    const char *sym = info.dli_sname;
    if (sym != NULL)
        snprintf(buf, len, "%s+0x%lx%s%s%s", sym,
                 (unsigned long)((uintptr_t)site - (uintptr_t)info.dli_saddr),
                 where[0] ? " (" : "", where, where[0] ? ")" : "");
    else if (where[0])
        snprintf(buf, len, "%s", where);
    else
        snprintf(buf, len, "%s+0x%lx", info.dli_fname,
                 (unsigned long)((uintptr_t)site - (uintptr_t)info.dli_fbase));
}
