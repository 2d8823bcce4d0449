/* The framework-free verdict accumulator (see check.h). */
#include <memharness/check.h>
#include <memharness/report_finding.h>
#include <memharness/waiver.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "waiver_table.h"

/* A finding is waived here (waiver_waives, below) and nowhere else, so the
 * waivers MEMHARNESS_WAIVERS names are loaded by this file, before main:
 * any program that records a finding links it, and the waiver files
 * depend on none of this. */
__attribute__((constructor)) static void waivers_from_env(void)
{
    waiver_env_apply();
}

static void append(check_ctx *ctx, const char *text)
{
    size_t room = sizeof ctx->message - ctx->used;
    if (room <= 1)
        return;
    int n = snprintf(ctx->message + ctx->used, room, "%s", text);
    if (n < 0)
        return;
    ctx->used += (size_t)n < room ? (size_t)n : room - 1;
}

void check_init(check_ctx *ctx, const char *fmt, ...)
{
    ctx->failures = 0;
    ctx->repeats = 0;
    ctx->used = 0;
    ctx->message[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->context, sizeof ctx->context, fmt, ap);
    va_end(ap);
}

void check_set_context(check_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->context, sizeof ctx->context, fmt, ap);
    va_end(ap);
}

/* A finding is one or more lines, each one failure line of the message
 * once its context is prefixed: a newline at either end or a second one in
 * a row would leave an empty line, which the merge could not label. */
static void drop_empty_lines(char *text)
{
    char *out = text;
    for (const char *in = text; *in != '\0'; in++) {
        if (*in == '\n' && (out == text || out[-1] == '\n'))
            continue;
        *out++ = *in;
    }
    if (out > text && out[-1] == '\n')
        out--;
    *out = '\0';
    if (text[0] == '\0')
        strcpy(text, "(a finding without text)");
}

void check_fail(check_ctx *ctx, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    drop_empty_lines(text);
    if (waiver_waives(ctx->context, text))
        return; /* accepted with a reason: reported as waived, not a failure */
    ctx->failures++;
    /* The report's structured copy; a sweep repeating one failure at every
     * point writes its first few only. */
    if (ctx->failures <= CHECK_FINDINGS_MAX)
        report_finding(ctx->context, text);
    if (ctx->context[0]) {
        append(ctx, ctx->context);
        append(ctx, ": ");
    }
    append(ctx, text);
    append(ctx, "\n");
}

void check_merge(check_ctx *dst, const check_ctx *src)
{
    dst->failures += src->failures;
    dst->repeats += src->repeats;
    append(dst, src->message);
}

/* True when dst holds a line ending in ": <text>" (text without newline,
 * never empty: every position would match it, the terminator included). */
static bool holds_text(const check_ctx *dst, const char *text, size_t len)
{
    if (len == 0)
        return false;
    for (const char *p = strstr(dst->message, text); p != NULL; p = strstr(p + 1, text)) {
        bool after_label = p >= dst->message + 2 && p[-2] == ':' && p[-1] == ' ';
        if (after_label && (p[len] == '\n' || p[len] == '\0'))
            return true;
    }
    return false;
}

void check_merge_labelled(check_ctx *dst, const check_ctx *src, const char *label)
{
    dst->failures += src->failures;
    dst->repeats += src->repeats;
    const char *line = src->message;
    while (*line != '\0') {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len == 0) { /* check_fail never writes one; a message built otherwise may */
            line = end ? end + 1 : line;
            continue;
        }
        char text[2048];
        size_t n = len < sizeof text - 1 ? len : sizeof text - 1;
        memcpy(text, line, n);
        text[n] = '\0';
        if (holds_text(dst, text, n)) {
            dst->repeats++;
        } else {
            append(dst, label);
            append(dst, ": ");
            append(dst, text);
            append(dst, "\n");
        }
        line = end ? end + 1 : line + len;
    }
}
