/* The framework-free verdict accumulator (see check.h). */
#include <memharness/check.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

void check_fail(check_ctx *ctx, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    ctx->failures++;
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
    append(dst, src->message);
}
