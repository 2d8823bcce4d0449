/* report_finding (see report_finding.h). */
#include <memharness/report_finding.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env_var.h"
#include "report_line.h"

/* Appends s to buf as the body of a JSON string; false when it does not
 * fit.  Control characters become \u00XX, so any message is valid JSON. */
static bool put_escaped(char *buf, size_t cap, size_t *used, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        size_t n;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            n = 2;
        } else if (c == '\n') {
            memcpy(esc, "\\n", 2);
            n = 2;
        } else if (c < 0x20) {
            n = (size_t)snprintf(esc, sizeof esc, "\\u%04x", c);
        } else {
            esc[0] = (char)c;
            n = 1;
        }
        if (*used + n >= cap)
            return false;
        memcpy(buf + *used, esc, n);
        *used += n;
    }
    return true;
}

int report_finding(const char *context, const char *message)
{
    if (memharness_env("REPORT_DIR", NULL, 0) == NULL)
        return 0;
    char line[12288];
    size_t used = (size_t)snprintf(line, sizeof line, "{\"finding\":\"check\",\"pid\":%ld,"
                                   "\"context\":\"", (long)getpid());
    bool fits = put_escaped(line, sizeof line, &used, context ? context : "");
    if (fits && used + 14 < sizeof line) {
        memcpy(line + used, "\",\"message\":\"", 13);
        used += 13;
        fits = put_escaped(line, sizeof line, &used, message);
    } else {
        fits = false;
    }
    if (!fits || used + 3 >= sizeof line) {
        fprintf(stderr, "report_finding: finding longer than %zu bytes, not written\n",
                sizeof line);
        return -1;
    }
    memcpy(line + used, "\"}\n", 3);
    return report_append_line("report_finding", "findings.jsonl", line, used + 3);
}
