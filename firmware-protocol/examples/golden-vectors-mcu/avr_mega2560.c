/*
 * avr_mega2560.c: the golden vectors on an 8-bit AVR (ATmega2560, Arduino Mega 2560, 16 MHz; QEMU machine
 * arduino-mega-2560-v3). The same AVR core, int width and toolchain as the Uno's ATmega328P, but 8 KiB of
 * RAM: a full-capacity decoder (the golden vectors include 1 KiB frames) needs ~2.2 KiB, more than the
 * Uno's 2 KiB. Output on USART0, 115200 baud 8N1. Cycle timer: timer1 at the CPU clock (prescaler 1),
 * extended to 32 bits by its overflow interrupt.
 */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/pgmspace.h>

#include "golden_vectors.h"

const char gv_platform_name[] = "AVR ATmega2560 (8-bit, avr-gcc)";
const uint32_t gv_timer_hz = F_CPU;

static volatile uint16_t timer_high;

ISR(TIMER1_OVF_vect) { timer_high++; }

uint32_t gv_timer_now(void) {
    uint16_t low, high;
    uint8_t sreg = SREG;
    cli();
    low = TCNT1;
    high = timer_high;
    if ((TIFR1 & _BV(TOV1)) && low < 0x8000u) high++; /* overflowed after cli, ISR not run yet */
    SREG = sreg;
    return ((uint32_t)high << 16) | low;
}

void gv_putc(char c) {
    while (!(UCSR0A & _BV(UDRE0))) {}
    UDR0 = (uint8_t)c;
}

void gv_flash_copy(void *dst, const void *flash_src, size_t n) { memcpy_P(dst, flash_src, n); }

int main(void) {
    UBRR0 = (F_CPU / 8 / 115200) - 1; /* with U2X0: 16 MHz -> 16, 2.1 % error */
    UCSR0A = _BV(U2X0);
    UCSR0B = _BV(TXEN0);
    UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
    TCCR1A = 0;
    TCCR1B = _BV(CS10);
    TIMSK1 = _BV(TOIE1);
    sei();
    gv_run();
    for (;;) {}
}
