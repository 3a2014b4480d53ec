/* Bridges a Swift executable to libFuzzer's driver. LLVMFuzzerRunDriver is declared weak so that a
 * plain `swift build` (no -sanitize=fuzzer) still links; lumbar_fuzz_run then reports that it is absent. */
#ifndef LUMBAR_FUZZ_SHIM_H
#define LUMBAR_FUZZ_SHIM_H

#include <stddef.h>
#include <stdint.h>

typedef int (*lumbar_fuzz_callback)(const uint8_t *data, size_t size);

/* Runs libFuzzer with the process arguments. Returns -1 if the binary was not built with -sanitize=fuzzer. */
int lumbar_fuzz_run(int *argc, char ***argv, lumbar_fuzz_callback callback);

#endif
