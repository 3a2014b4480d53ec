/*
 * golden_vectors.h: the golden-vector check and the codec benchmark, written once for every MCU.
 * A platform file (avr_mega2560.c, cortex_m0_microbit.c) supplies the UART, the flash reads and the cycle
 * timer, then calls gv_run(). Output is plain text lines over the UART; the last line is
 * "GOLDEN VECTORS: PASS n/n" or "GOLDEN VECTORS: FAIL ...", which the QEMU runner (run_qemu.py) waits for.
 */
#ifndef GOLDEN_VECTORS_H
#define GOLDEN_VECTORS_H

#include <stddef.h>
#include <stdint.h>

/* ---- supplied by the platform ---- */
void gv_putc(char c);
/* Copies n bytes from the vector tables (flash on an AVR, plain memory elsewhere). */
void gv_flash_copy(void *dst, const void *flash_src, size_t n);
/* A free-running count of the timer the benchmark reads, and its frequency in Hz. */
uint32_t gv_timer_now(void);
extern const uint32_t gv_timer_hz;
extern const char gv_platform_name[];

/* ---- provided by golden_vectors.c ---- */
/* Runs every golden vector (byte by byte and in chunks of 7 and 64), then the benchmark. Returns 1 if all
 * vectors passed. */
int gv_run(void);

#endif
