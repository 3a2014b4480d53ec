/*
 * main.c: reference Lumbar sensor firmware for an ATmega328P (Arduino Uno/Nano, 16 MHz) with an MPU-6050,
 * or with the built-in motion generator (-DMOTION_GENERATOR). Everything on the wire goes through the
 * reference codec (../../c): device info, sample batches, status, acknowledgements out; commands in.
 *
 * - UART: 115200 baud 8N1 (U2X). Receive in an interrupt into a ring buffer (a command must not be lost
 *   while a batch is being sent), transmit polled.
 * - Device clock: timer1 at F_CPU/256 = 62.5 kHz (16 us ticks; 100 Hz = 625 ticks exactly), extended to
 *   64 bits in software (clock_ticks). QEMU's ATmega models only the 16-bit timers, so timer1 it is.
 * - Batches: rate / 25 samples (40 ms), 1 .. BATCH_SAMPLES; a status about once per second.
 * - Placement and device id: EEPROM (written with the .eep file the build makes), else the build's.
 * - Battery: ADC0 (A0) through a 1:2 divider, AVcc reference; a reading of 0 means no divider: unknown.
 */
#include <avr/eeprom.h>
#include <avr/interrupt.h>
#include <avr/io.h>
#include <string.h>

#include "imu.h"
#include "lumbar_protocol.h"

#ifndef PLACEMENT
#define PLACEMENT LP_PLACEMENT_LUMBAR
#endif
#ifndef DEVICE_ID
#define DEVICE_ID (0x4C42000000000000ULL | (uint64_t)PLACEMENT)
#endif
#define FIRMWARE_MAJOR 1
#define FIRMWARE_MINOR 0
#define FIRMWARE_PATCH 0
#define BAUD 115200UL

/* ---- identity: EEPROM, else the build's -------------------------------------------------------------- */

typedef struct {
    uint8_t magic[2]; /* 'L', 'B' */
    uint8_t placement;
    uint64_t device_id;
} identity;

static identity EEMEM eeprom_identity = {{'L', 'B'}, PLACEMENT, DEVICE_ID};
static identity id;

uint8_t device_placement(void) { return id.placement; }

static void load_identity(void) {
    eeprom_read_block(&id, &eeprom_identity, sizeof id);
    if (id.magic[0] != 'L' || id.magic[1] != 'B' || id.placement > LP_PLACEMENT_RIGHT_ANKLE) {
        id.placement = PLACEMENT; /* blank EEPROM (or an emulator without one) */
        id.device_id = DEVICE_ID;
    }
}

/* ---- clock ------------------------------------------------------------------------------------------ */

/* The 16-bit counter extended in software: the main loop reads it far more often than it wraps (every
 * 65536 ticks = 1.05 s), so the difference since the last read is the time that passed. No overflow
 * interrupt: the clock is monotonic by construction. QEMU's ATmega timer model restarts its count at 0 when
 * its overflow alarm fires, late if the host is busy, after the count already wrapped: such a small step
 * back is ignored (on hardware the main loop never waits 0.98 s between two reads).
 *
 * Read with interrupts enabled: reading TCNT1L latches TCNT1H into timer 1's TEMP register, and no
 * interrupt handler touches a 16-bit timer-1 register (there is no timer interrupt at all), so the pair is
 * consistent without cli(). This also keeps the firmware clear of QEMU 7.2's AVR interrupt bug: QEMU checks
 * for pending interrupts only where the emulated CPU leaves its chain of translated blocks, never right
 * after SEI or a write to SREG, and every load from the extended I/O page (TCNT1 is at 0x84) is such a
 * place. A TCNT1 read inside cli() was one on every call: an interrupt raised just before it (a received
 * byte) was checked with interrupts off and then waited for the next check with them on, in practice the
 * next status (one per second), so a command took seconds to arrive (see the README). */
uint64_t clock_ticks(void) {
    static uint64_t total;
    static uint16_t last;
    uint16_t now = TCNT1, step = (uint16_t)(now - last);
    if (step < 0xF000u) total += step; /* a step "back" of < 4096 ticks: the emulated counter restarted late */
    last = now;
    return total;
}

/* Identify (PROTOCOL.md 5.4): the LED on pin 13 blinks until identify_end (device ticks; 0: off),
 * toggling every 8192 ticks (131 ms). Driven from the main loop: no timer interrupt needed. */
static uint64_t identify_end;

static void poll_identify(uint64_t now) {
    if (!identify_end) return;
    if (now >= identify_end) {
        identify_end = 0;
        PORTB &= (uint8_t)~_BV(PORTB5);
    } else if (((uint32_t)(identify_end - now) >> 13) & 1u) {
        PORTB |= _BV(PORTB5);
    } else {
        PORTB &= (uint8_t)~_BV(PORTB5);
    }
}

/* ---- UART ------------------------------------------------------------------------------------------- */

/* Commands are decoded in the receive interrupt, byte by byte (lp_decoder_push), and queued: the main
 * loop can be busy for a while (a batch on the wire, the motion generator's maths), and an emulated UART
 * delivers bytes back to back with no baud-rate pacing at all. */
typedef struct {
    lp_command command;
    uint8_t invalid; /* a known opcode without its argument: answered "invalid argument" */
} queued_command;

static lp_decoder decoder; /* commands only: LP_DECODER_CAPACITY bytes; touched only by the interrupt */
static lp_result result;
static volatile queued_command queue[4];
static volatile uint8_t queue_head, queue_tail;
static volatile uint16_t commands_lost;

ISR(USART_RX_vect) {
    uint8_t byte = UDR0, next;
    if (!lp_decoder_push(&decoder, byte, &result)) return;
    next = (uint8_t)((queue_head + 1) & 3u);
    if (result.error == LP_ERR_NONE && result.packet.type == LP_TYPE_COMMAND) {
        if (next == queue_tail) { commands_lost++; return; }
        queue[queue_head].command = result.packet.as.command;
        queue[queue_head].invalid = 0;
        queue_head = next;
    } else if (result.error == LP_ERR_MALFORMED_PAYLOAD && result.type == LP_TYPE_COMMAND &&
               result.payload_length >= 3) {
        if (next == queue_tail) { commands_lost++; return; }
        /* decoded in place: the frame's payload starts at buf[2] */
        queue[queue_head].command.token = (uint16_t)(decoder.buf[2] | ((uint16_t)decoder.buf[3] << 8));
        queue[queue_head].command.opcode = decoder.buf[4];
        queue[queue_head].command.argument = 0;
        queue[queue_head].invalid = 1;
        queue_head = next;
    }
}

static void uart_init(void) {
    UBRR0 = (uint16_t)(F_CPU / 8 / BAUD - 1);
    UCSR0A = _BV(U2X0);
    UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
    UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
}

static void uart_send(const uint8_t *data, size_t n) {
    while (n--) {
        while (!(UCSR0A & _BV(UDRE0))) {}
        UDR0 = *data++;
    }
}

/* ---- battery ---------------------------------------------------------------------------------------- */

/* Never waits: returns the conversion started at the previous status (one per second) and starts the
 * next. A converter that never finishes (QEMU's ATmega has no ADC) or reads 0 (no divider) is unknown. */
static uint16_t battery_mv(void) {
    uint16_t mv = LP_STATUS_BATTERY_MV_UNKNOWN, adc;
    if ((ADCSRA & _BV(ADEN)) && !(ADCSRA & _BV(ADSC))) {
        adc = ADC;
        if (adc != 0 && adc <= 1023u) mv = (uint16_t)((uint32_t)adc * 2UL * 5000UL / 1023UL);
    }
    if (!(ADCSRA & _BV(ADSC))) {
        ADMUX = _BV(REFS0); /* AVcc, channel 0 */
        ADCSRA = _BV(ADEN) | _BV(ADSC) | _BV(ADPS2) | _BV(ADPS1) | _BV(ADPS0);
    }
    return mv;
}

/* ---- state ------------------------------------------------------------------------------------------ */

static imu_config config = {10000, 8, 2000}; /* 100 Hz, +-8 g, +-2000 deg/s */
static uint8_t imu_ok, streaming, stop_pending;
static uint32_t sequence, samples_dropped, error_flags;
static uint64_t next_status;
static uint16_t last_token;
static uint8_t last_opcode, last_result, have_last;

static lp_packet out;     /* the packet being built (a batch fills it sample by sample) */
static uint8_t wire[LP_SAMPLE_BATCH_HEADER_LEN + LP_BATCH_CAPACITY * LP_RAW_SAMPLE_LEN + 16];
static lp_packet reply;   /* device info, status, acknowledgement: one static packet, not ~140 B of stack */

static void send(const lp_packet *packet) {
    size_t n = lp_encode(packet, wire, sizeof wire);
    if (n) uart_send(wire, n);
    else error_flags |= LP_ERROR_TRANSMIT_OVERFLOW;
}

static uint8_t batch_target(void) {
    uint16_t n = (uint16_t)(config.rate_centi_hz / 2500u); /* 40 ms of samples */
    if (n < 1) n = 1;
    if (n > LP_BATCH_CAPACITY) n = LP_BATCH_CAPACITY;
    return (uint8_t)n;
}

static void send_device_info(void) {
    lp_packet *p = &reply;
    lp_device_info *d = &p->as.device_info;
    p->type = LP_TYPE_DEVICE_INFO;
    d->protocol_version = LP_PROTOCOL_VERSION;
    d->firmware_major = FIRMWARE_MAJOR;
    d->firmware_minor = FIRMWARE_MINOR;
    d->firmware_patch = FIRMWARE_PATCH;
    d->device_id = id.device_id;
    d->placement = id.placement;
    d->accel_full_scale_g = config.accel_range_g;
    d->gyro_full_scale_dps = config.gyro_range_dps;
    d->accel_g_per_count = imu_accel_g_per_count(&config);
    d->gyro_dps_per_count = imu_gyro_dps_per_count(&config);
    d->sample_rate_mhz = (uint32_t)config.rate_centi_hz * 10UL;
    d->tick_hz = TICK_HZ;
    d->imu_part_name_len = (uint8_t)strlen(imu_part_name);
    memcpy(d->imu_part_name, imu_part_name, d->imu_part_name_len);
    send(p);
}

static void send_status(void) {
    lp_packet *p = &reply;
    lp_status *s = &p->as.status;
    uint16_t mv = battery_mv();
    p->type = LP_TYPE_STATUS;
    s->timestamp = clock_ticks();
    s->battery_mv = mv;
    s->battery_percent = LP_STATUS_BATTERY_PERCENT_UNKNOWN;
    if (mv != LP_STATUS_BATTERY_MV_UNKNOWN) { /* one LiPo cell: 3.3 V empty, 4.2 V full */
        int32_t pct = ((int32_t)mv - 3300) / 9;
        s->battery_percent = (uint8_t)(pct < 0 ? 0 : pct > 100 ? 100 : pct);
        if (mv < 3400) error_flags |= LP_ERROR_BATTERY_LOW;
    }
    s->state = streaming ? LP_STATUS_STREAMING : 0;
    s->temperature_centi_c = imu_ok ? imu_temperature_centi_c() : LP_STATUS_TEMPERATURE_UNKNOWN;
    s->samples_dropped = samples_dropped;
    s->error_flags = error_flags | (imu_ok ? 0 : LP_ERROR_IMU_FAULT);
    error_flags &= ~(uint32_t)(LP_ERROR_FIFO_OVERFLOW | LP_ERROR_TRANSMIT_OVERFLOW); /* "since the last status" */
    send(p);
}

static void send_ack(uint16_t token, uint8_t opcode, uint8_t result_code) {
    lp_packet *p = &reply;
    p->type = LP_TYPE_ACKNOWLEDGEMENT;
    p->as.ack.token = token;
    p->as.ack.opcode = opcode;
    p->as.ack.result = result_code;
    send(p);
}

static void flush_batch(void) {
    if (out.as.sample_batch.count) {
        send(&out);
        out.as.sample_batch.count = 0;
    }
}

/* ---- commands (PROTOCOL.md 5.4) --------------------------------------------------------------------- */

static void handle_command(const lp_command *c) {
    uint8_t code = LP_ACK_OK, info = 0, status = 0;
    if (have_last && c->token == last_token && c->opcode == last_opcode) { /* a resend: ack, don't act twice */
        send_ack(c->token, c->opcode, last_result);
        return;
    }
    switch (c->opcode) {
    case LP_OP_START_STREAMING:
        if (!streaming) {
            streaming = 1;
            out.as.sample_batch.count = 0;
            imu_start(clock_ticks());
        }
        break;
    case LP_OP_STOP_STREAMING: stop_pending = streaming; break;
    case LP_OP_REQUEST_DEVICE_INFO: info = 1; break;
    case LP_OP_REQUEST_STATUS: status = 1; break;
    case LP_OP_SET_SAMPLE_RATE:
        if (c->argument == 0 || c->argument > 6553500UL) { code = LP_ACK_INVALID_ARGUMENT; break; }
        flush_batch();
        config.rate_centi_hz = (uint16_t)(c->argument / 10UL);
        imu_apply(&config);
        info = 1;
        break;
    case LP_OP_SET_ACCEL_RANGE:
        if (c->argument == 0) { code = LP_ACK_INVALID_ARGUMENT; break; }
        flush_batch();
        config.accel_range_g = (uint8_t)(c->argument > 255 ? 255 : c->argument);
        imu_apply(&config);
        info = 1;
        break;
    case LP_OP_SET_GYRO_RANGE:
        if (c->argument == 0) { code = LP_ACK_INVALID_ARGUMENT; break; }
        flush_batch();
        config.gyro_range_dps = (uint16_t)c->argument;
        imu_apply(&config);
        info = 1;
        break;
    case LP_OP_IDENTIFY: /* milliseconds; 0 stops */
        /* u16 ms * 62.5 ticks/ms fits 32 bits: no 64-bit division (~400 B of flash) */
        identify_end = c->argument ? clock_ticks() + (uint32_t)c->argument * (TICK_HZ / 500UL) / 2UL : 0;
        if (!identify_end) PORTB &= (uint8_t)~_BV(PORTB5);
        break;
    default: code = LP_ACK_UNSUPPORTED; break;
    }
    have_last = 1;
    last_token = c->token;
    last_opcode = c->opcode;
    last_result = code;
    send_ack(c->token, c->opcode, code);
    if (info) send_device_info();
    if (status) send_status();
}

static void poll_commands(void) {
    while (queue_tail != queue_head) {
        queued_command q;
        q.command.token = queue[queue_tail].command.token;
        q.command.opcode = queue[queue_tail].command.opcode;
        q.command.argument = queue[queue_tail].command.argument;
        q.invalid = queue[queue_tail].invalid;
        queue_tail = (uint8_t)((queue_tail + 1) & 3u);
        if (q.invalid) send_ack(q.command.token, q.command.opcode, LP_ACK_INVALID_ARGUMENT);
        else handle_command(&q.command);
    }
}

/* ---- sampling --------------------------------------------------------------------------------------- */

/* Takes at most one batch's worth of samples per call, so that the main loop gets back to the commands
 * even when the samples are behind (a busy emulator host, a long transmit). */
static void poll_samples(void) {
    lp_raw_sample sample;
    uint64_t taken_at;
    uint16_t dropped;
    uint8_t taken = 0;
    lp_sample_batch *b = &out.as.sample_batch;
    /* The clock is read again for every sample: a batch sent inside this loop keeps the UART busy for ~10 ms
     * (146 B at 115200 baud), and the MPU-6050 dates a sample from the time it is read and the FIFO's fill.
     * With one reading per call, every batch after a sent one came out up to 4 periods early at 200 Hz
     * (found in simavr, whose UART takes real time; QEMU's sends instantly). */
    while (taken++ < LP_BATCH_CAPACITY && imu_read(clock_ticks(), &sample, &taken_at, &dropped)) {
        if (dropped) { /* the host sees them as a sequence gap */
            flush_batch();
            sequence += dropped;
            samples_dropped += dropped;
            error_flags |= LP_ERROR_FIFO_OVERFLOW;
        }
        if (!streaming) continue;
        if (b->count == 0) {
            out.type = LP_TYPE_SAMPLE_BATCH;
            b->sequence = sequence;
            b->timestamp = taken_at;
            b->sample_period = (uint32_t)(TICK_HZ * 100UL / config.rate_centi_hz);
            b->flags = 0;
        }
        {
            uint8_t axis;
            for (axis = 0; axis < 3; axis++) {
                if (sample.accel[axis] == 32767 || sample.accel[axis] == -32768) b->flags |= LP_BATCH_ACCEL_SATURATED;
                if (sample.gyro[axis] == 32767 || sample.gyro[axis] == -32768) b->flags |= LP_BATCH_GYRO_SATURATED;
            }
        }
        b->samples[b->count++] = sample;
        sequence++;
        if (b->count >= batch_target()) flush_batch();
        if (stop_pending) break;
    }
    if (stop_pending) { /* finish the batch in progress, then stop */
        flush_batch();
        streaming = 0;
        stop_pending = 0;
    }
}

int main(void) {
    static const uint8_t delimiter = LP_DELIMITER;
    load_identity();
    uart_init();
    TCCR1A = 0;
    TCCR1B = _BV(CS12); /* F_CPU / 256 = 62.5 kHz: 16 us ticks; no timer interrupt (see clock_ticks) */
    DDRB |= _BV(DDB5); /* LED (pin 13) for identify */
    lp_decoder_init(&decoder);
    sei(); /* (uart_init enabled the receive interrupt; the decoder is ready before it can fire) */
    imu_ok = imu_init(&config);
    uart_send(&delimiter, 1); /* PROTOCOL.md 1.4: a lone delimiter after power-up */
    send_device_info();
    next_status = clock_ticks() + TICK_HZ;
    for (;;) {
        uint64_t now;
        poll_commands();
        poll_samples();
        now = clock_ticks();
        poll_identify(now);
        if (now >= next_status) {
            flush_batch();
            send_status();
            next_status += TICK_HZ;
            if (next_status < now) next_status = now + TICK_HZ;
        }
    }
}
