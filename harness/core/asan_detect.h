/* Defines HARNESS_ASAN when this translation unit is compiled with
 * AddressSanitizer (gcc says so with a macro, clang with __has_feature), so
 * that the harness steps aside where ASan's own machinery is better. */
#ifndef HARNESS_ASAN_DETECT_H
#define HARNESS_ASAN_DETECT_H

#if defined(__SANITIZE_ADDRESS__)
#define HARNESS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HARNESS_ASAN 1
#endif
#endif

#endif
