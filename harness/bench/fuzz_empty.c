/* The yardstick of item 4: a libFuzzer target that does nothing, built the
 * same way as the real targets, so that their exec/s can be read as a
 * fraction of what libFuzzer itself costs on this machine. */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)data;
    (void)size;
    return 0;
}
