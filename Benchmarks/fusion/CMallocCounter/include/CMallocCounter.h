// Counts heap allocations of the process it is linked into (malloc, calloc, realloc, aligned
// allocations), so that a benchmark can prove a hot loop allocates nothing.
#pragma once
#include <stdint.h>

/// Allocations since the process started.
uint64_t lumbar_malloc_count(void);
