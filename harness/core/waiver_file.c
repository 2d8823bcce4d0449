/* The waiver file (see waiver.h): its lines and their reasons.  Each
 * waiver takes the '#' comment lines right above it as its reason, as
 * suppressions/ entries do (make suppressions-audit), so that no finding
 * is waived without a why. */
#include <memharness/waiver.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "waiver_table.h"

#define LINE_MAX_BYTES 4096
#define REASON_MAX 1024

static void strip_end(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' ||
                     s[n - 1] == '\t'))
        s[--n] = '\0';
}

/* Appends a comment line's text to the reason being collected. */
static void reason_add(char *reason, const char *comment)
{
    comment += strspn(comment, "# \t");
    if (*comment == '\0')
        return;
    size_t used = strlen(reason);
    snprintf(reason + used, REASON_MAX - used, "%s%s", used ? " " : "", comment);
}

bool waiver_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, errlen, "%s: error: cannot open the waiver file: %s", path,
                 strerror(errno));
        return false;
    }
    size_t before = waiver_table_count();
    char line[LINE_MAX_BYTES], reason[REASON_MAX] = "", why[512], source[600];
    bool ok = true;
    for (unsigned no = 1; ok && fgets(line, sizeof line, f) != NULL; no++) {
        if (strchr(line, '\n') == NULL && !feof(f)) {
            snprintf(err, errlen, "%s:%u: error: line longer than %d bytes", path, no,
                     LINE_MAX_BYTES - 2);
            ok = false;
            break;
        }
        strip_end(line);
        const char *text = line + strspn(line, " \t");
        if (*text == '\0') {
            reason[0] = '\0'; /* a blank line ends a reason: it covers the next entry only */
        } else if (*text == '#') {
            reason_add(reason, text);
        } else {
            snprintf(source, sizeof source, "%s:%u", path, no);
            ok = waiver_add(text, reason, source, why, sizeof why);
            if (!ok)
                snprintf(err, errlen, "%s:%u: error: %s", path, no, why);
            reason[0] = '\0';
        }
    }
    if (ok && ferror(f)) {
        snprintf(err, errlen, "%s: error: reading the waiver file failed", path);
        ok = false;
    }
    fclose(f);
    if (!ok)
        waiver_table_truncate(before);
    return ok;
}
