/* Call-site descriptions for leak and misuse reports.  Only failure paths
 * call this, so spawning addr2line is affordable and gives file:line, which
 * is what curl's memdebug gets from its macros at compile time. */
#include <memharness/callsite.h>

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void line_of(const char *object, uintptr_t offset, char *out, size_t len)
{
    out[0] = '\0';
    if (getenv("HARNESS_NO_ADDR2LINE") != NULL)
        return;
    char cmd[1024];
    /* The return address points after the call; step back into it. */
    snprintf(cmd, sizeof cmd, "addr2line -i -e '%s' 0x%lx 2>/dev/null", object,
             (unsigned long)(offset - 1));
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return;
    /* -i lists the inline chain innermost first; the outermost frame is the
     * function a reader will look for, so it goes first. */
    char line[512];
    size_t used = 0;
    char frames[4][512];
    size_t nframes = 0;
    while (nframes < 4 && fgets(line, sizeof line, p) != NULL) {
        if (line[0] == '?')
            continue;
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
        snprintf(frames[nframes++], sizeof frames[0], "%s", keep);
    }
    for (size_t i = nframes; i > 0; i--) {
        int w = snprintf(out + used, len - used, "%s%s", i == nframes ? "" : ", inlined from ",
                         frames[i - 1]);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
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
    /* glibc names the main program by its argv[0] (or not at all), which
     * may not resolve from the current directory. */
    const char *object = info.dli_fname;
    char self[512];
    if (object[0] == '\0' || access(object, R_OK) != 0 || strchr(object, '/') == NULL) {
        /* Resolved here: in addr2line's own process /proc/self is addr2line. */
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        self[n > 0 ? n : 0] = '\0';
        object = self;
    }
    line_of(object, (uintptr_t)site - (uintptr_t)info.dli_fbase, where, sizeof where);
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
