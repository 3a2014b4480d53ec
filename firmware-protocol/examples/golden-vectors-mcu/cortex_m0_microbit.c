/*
 * cortex_m0_microbit.c: the golden vectors on a Cortex-M0 (nRF51822, BBC micro:bit; QEMU machine microbit).
 * Bare metal with our own vector table, start-up code and linker script (link_microbit.ld): no vendor SDK.
 * Output on the nRF51 UART (TXD register, 115200 baud). Cycle timer: SysTick on the core clock (16 MHz),
 * a 24-bit down-counter extended by its wrap interrupt. Ends with a semihosting SYS_EXIT, so QEMU exits
 * 0 when every vector passed and 1 otherwise.
 */
#include <stdint.h>
#include <string.h>

#include "golden_vectors.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
/* nRF51 UART0 */
#define UART_STARTTX REG(0x40002008u)
#define UART_TXDRDY REG(0x4000211Cu)
#define UART_ENABLE REG(0x40002500u)
#define UART_PSELTXD REG(0x4000250Cu)
#define UART_TXD REG(0x4000251Cu)
#define UART_BAUDRATE REG(0x40002524u)
/* ARMv6-M SysTick */
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)

const char gv_platform_name[] = "Cortex-M0 nRF51822 (arm-none-eabi-gcc, bare metal)";
const uint32_t gv_timer_hz = 16000000u;

static volatile uint32_t systick_wraps;

void systick_handler(void) { systick_wraps++; }

uint32_t gv_timer_now(void) {
    uint32_t wraps, value;
    do {
        wraps = systick_wraps;
        value = SYST_CVR;
    } while (wraps != systick_wraps);
    return wraps * 0x1000000u + (0xFFFFFFu - value);
}

void gv_putc(char c) {
    UART_TXDRDY = 0;
    UART_TXD = (uint8_t)c;
    while (!UART_TXDRDY) {}
}

void gv_flash_copy(void *dst, const void *flash_src, size_t n) { memcpy(dst, flash_src, n); }

static void semihosting_exit(int ok) {
    /* SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit (0x20026) exits QEMU 0; any other reason 1. */
    register uint32_t op __asm__("r0") = 0x18u;
    register uint32_t reason __asm__("r1") = ok ? 0x20026u : 0x20023u; /* 0x20023: RunTimeErrorUnknown */
    __asm__ volatile("bkpt 0xAB" : : "r"(op), "r"(reason) : "memory");
}

int main(void) {
    UART_PSELTXD = 24; /* micro:bit USB serial TX pin */
    UART_BAUDRATE = 0x01D7E000u; /* 115200 */
    UART_ENABLE = 4;
    UART_STARTTX = 1;
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = 7; /* core clock, interrupt, enable */
    semihosting_exit(gv_run());
    for (;;) {}
}

/* ---- start-up: vector table, .data copy, .bss clear ---- */

extern uint32_t _data_start, _data_end, _data_load, _bss_start, _bss_end, _stack_top;

void reset_handler(void) {
    uint32_t *src = &_data_load, *dst = &_data_start;
    while (dst < &_data_end) *dst++ = *src++;
    for (dst = &_bss_start; dst < &_bss_end;) *dst++ = 0;
    main();
    for (;;) {}
}

static void fault_handler(void) {
    static const char msg[] = "\r\nGOLDEN VECTORS: FAIL hard fault\r\n";
    const char *p = msg;
    while (*p) gv_putc(*p++);
    semihosting_exit(0);
    for (;;) {}
}

__attribute__((section(".vectors"), used)) static void (*const vector_table[16 + 32])(void) = {
    (void (*)(void))&_stack_top, reset_handler, fault_handler, fault_handler,
    0, 0, 0, 0, 0, 0, 0, fault_handler, 0, 0, fault_handler, systick_handler,
};
