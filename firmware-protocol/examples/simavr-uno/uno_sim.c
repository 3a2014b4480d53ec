/*
 * uno_sim.c: the sensor firmware's real peripherals, which QEMU does not model, exercised in simavr
 * (cycle-accurate ATmega328P at 16 MHz, libsimavr): an emulated MPU-6050 on the TWI (I2C) bus, a battery
 * voltage on A0 (ADC), the placement and device id in EEPROM, the UART. The MPU-6050 build of the
 * firmware runs unchanged; this host side:
 *
 *   - answers I2C like an MPU-6050 at 0x68: WHO_AM_I, PWR_MGMT_1, SMPLRT_DIV, CONFIG, GYRO/ACCEL_CONFIG,
 *     FIFO_EN, USER_CTRL (FIFO enable and reset), INT_STATUS, TEMP_OUT, FIFO_COUNT, FIFO_R_W; its FIFO fills
 *     at 1 kHz / (1 + SMPLRT_DIV) of simulated time with 12-byte samples (accel xyz, gyro xyz, big-endian)
 *     whose values encode their index, so every sample that reaches the host can be checked;
 *   - puts BATTERY_A0_MV on ADC0 (AVcc = 5 V) and an identity record in EEPROM that differs from the
 *     build's (placement right ankle, id 0x1122334455667788), or leaves EEPROM blank (--blank-eeprom: the
 *     firmware must fall back to the build's placement);
 *   - sends commands encoded by the reference codec (rate 200 Hz, accel +-4 g, start, status, stop) and
 *     decodes every byte the firmware sends with the reference decoder (lp_decoder_push).
 *
 * Checks: no damaged frame; one acknowledgement per command; device info with the EEPROM placement and id,
 * part "MPU-6050", 200 Hz and +-4 g applied (SMPLRT_DIV 4 and ACCEL_CONFIG 0x08 written to the chip);
 * batches with continuous sequence numbers and the sample period, every sample equal to the one the
 * emulated chip produced for it, none lost, every batch timestamp within a sample period (+ the I2C reads)
 * of the cycle the chip took its first sample; a status with the battery from A0 and the die temperature
 * from TEMP_OUT. Prints a summary; exit 0 pass, 1 fail, 2 usage/load error.
 *
 *   uno_sim FIRMWARE.elf [--blank-eeprom] [--seconds S]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sim_avr.h>
#include <sim_io.h>
#include <sim_elf.h>
#include <sim_irq.h>
#include <avr_adc.h>
#include <avr_eeprom.h>
#include <avr_twi.h>
#include <avr_uart.h>

#include "lumbar_protocol.h"

#define F_CPU 16000000ULL
#define BATTERY_A0_MV 1900 /* behind the firmware's 1:2 divider: a 3.80 V cell */
#define TEMP_RAW (-3920)   /* datasheet: raw / 340 + 36.53 degC = 25.0 degC */
#define EEPROM_PLACEMENT LP_PLACEMENT_RIGHT_ANKLE
#define EEPROM_DEVICE_ID 0x1122334455667788ULL

static int failures;
#define CHECK(cond, ...)                                  \
    do {                                                  \
        if (!(cond)) {                                    \
            failures++;                                   \
            printf("simavr uno: FAIL: " __VA_ARGS__);     \
            printf("\n");                                 \
        }                                                 \
    } while (0)

/* ---- the emulated MPU-6050 ------------------------------------------------------------------------ */

typedef struct {
    avr_t *avr;
    avr_irq_t *irq;
    uint8_t regs[128];
    uint8_t selected, reg, have_reg;
    uint8_t fifo[1024];
    uint16_t fifo_head, fifo_count;
    uint8_t overflow;
    uint32_t produced;       /* samples generated since the last FIFO reset */
    uint32_t resets;         /* FIFO resets (USER_CTRL bit 2) */
    avr_cycle_count_t next;  /* cycle of the next sample */
    avr_cycle_count_t produced_at[8192]; /* cycle each sample was taken, by index (mod 8192) */
    uint32_t transactions;
} mpu6050;

/* The sample with this index (counted from a FIFO reset): values the host can recompute. */
static void sample_values(uint32_t n, int16_t a[3], int16_t g[3]) {
    a[0] = (int16_t)(n & 0x3FFF);
    a[1] = (int16_t)(-(int32_t)(n % 1000u));
    a[2] = 8192; /* 1 g at +-4 g */
    g[0] = (int16_t)((n * 7u) & 0x3FFF);
    g[1] = -123;
    g[2] = (int16_t)(n % 256u);
}

static uint8_t fifo_enabled(const mpu6050 *m) { return (m->regs[0x6A] & 0x40) && m->regs[0x23] == 0x78; }

static void fifo_push(mpu6050 *m, uint8_t b) {
    if (m->fifo_count == sizeof m->fifo) { m->overflow = 1; return; }
    m->fifo[(m->fifo_head + m->fifo_count) % sizeof m->fifo] = b;
    m->fifo_count++;
}

/* Brings the FIFO up to the simulated time: one sample per 1 ms * (1 + SMPLRT_DIV). */
static void fifo_catch_up(mpu6050 *m) {
    avr_cycle_count_t period = F_CPU / 1000u * (1u + m->regs[0x19]);
    while (fifo_enabled(m) && m->avr->cycle >= m->next) {
        int16_t a[3], g[3];
        int i;
        m->produced_at[m->produced % 8192u] = m->next;
        sample_values(m->produced++, a, g);
        for (i = 0; i < 3; i++) { fifo_push(m, (uint8_t)((uint16_t)a[i] >> 8)); fifo_push(m, (uint8_t)a[i]); }
        for (i = 0; i < 3; i++) { fifo_push(m, (uint8_t)((uint16_t)g[i] >> 8)); fifo_push(m, (uint8_t)g[i]); }
        m->next += period;
    }
}

static void fifo_reset(mpu6050 *m) {
    m->fifo_head = m->fifo_count = 0;
    m->overflow = 0;
    m->produced = 0;
    m->resets++;
    m->next = m->avr->cycle + F_CPU / 1000u * (1u + m->regs[0x19]);
}

static uint8_t read_reg(mpu6050 *m, uint8_t reg) {
    fifo_catch_up(m);
    switch (reg) {
    case 0x3A: { uint8_t s = (uint8_t)(m->overflow ? 0x10 : 0); m->overflow = 0; return s; }
    case 0x72: return (uint8_t)(m->fifo_count >> 8);
    case 0x73: return (uint8_t)m->fifo_count;
    case 0x74: {
        uint8_t b;
        if (!m->fifo_count) return 0;
        b = m->fifo[m->fifo_head];
        m->fifo_head = (uint16_t)((m->fifo_head + 1) % sizeof m->fifo);
        m->fifo_count--;
        return b;
    }
    default: return m->regs[reg & 0x7F];
    }
}

static void write_reg(mpu6050 *m, uint8_t reg, uint8_t value) {
    fifo_catch_up(m);
    m->regs[reg & 0x7F] = value;
    if (reg == 0x6A && (value & 0x04)) { /* FIFO_RESET self-clears */
        m->regs[0x6A] = (uint8_t)(value & ~0x04);
        fifo_reset(m);
    }
}

/* simavr 1.6 (Debian's) sets TWSR to 0x28 (data byte sent, ACK) instead of 0x18 (SLA+W sent, ACK) after
 * an acknowledged address for writing, in the same cycle as TWINT; on the chip it is 0x18, which the
 * firmware checks. The model corrects what the firmware reads from TWSR between that address and the next
 * byte (a read hook on TWSR, which simavr's TWI does not hook itself). */
static uint8_t sla_w_acked;

static uint8_t twsr_read(struct avr_t *avr, avr_io_addr_t addr, void *param) {
    uint8_t v = avr->data[addr];
    (void)param;
    if (sla_w_acked && (v & 0xF8) == 0x28) v = (uint8_t)((v & 0x07) | 0x18);
    return v;
}

/* simavr 1.6 leaves TWINT set when the firmware writes TWCR with TWINT = 1 (which clears it on the chip),
 * so a polling master (this firmware's, like most) would not wait for the next bus event. Its TWCR write
 * handler is wrapped: after it has run, a written TWINT = 1 clears the flag; simavr sets it again from a
 * cycle timer when the start, address or byte is done, as the chip does. */
static avr_io_write_t simavr_twcr_write;
static void *simavr_twcr_param;

static void twcr_write(struct avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param) {
    (void)param;
    simavr_twcr_write(avr, addr, v, simavr_twcr_param);
    if (v & 0x80) avr->data[addr] &= (uint8_t)~0x80;
}

/* simavr's TWI master reports START (with the address byte), WRITE, READ and STOP; a slave ACKs and
 * answers reads on TWI_IRQ_INPUT. Register auto-increment as on the chip, except FIFO_R_W. */
static void mpu_twi_hook(struct avr_irq_t *irq, uint32_t value, void *param) {
    mpu6050 *m = param;
    avr_twi_msg_irq_t v;
    (void)irq;
    v.u.v = value;
    sla_w_acked = 0;
    if (v.u.twi.msg & TWI_COND_STOP) m->selected = 0;
    if (v.u.twi.msg & TWI_COND_START) {
        m->selected = 0;
        if ((v.u.twi.addr >> 1) == 0x68) {
            m->selected = v.u.twi.addr;
            if (!(v.u.twi.addr & 1)) m->have_reg = 0; /* a write transaction starts with the register */
            m->transactions++;
            avr_raise_irq(m->irq + TWI_IRQ_INPUT, avr_twi_irq_msg(TWI_COND_ACK, m->selected, 1));
            sla_w_acked = !(v.u.twi.addr & 1);
        }
    }
    if (!m->selected) return;
    if (v.u.twi.msg & TWI_COND_WRITE) {
        avr_raise_irq(m->irq + TWI_IRQ_INPUT, avr_twi_irq_msg(TWI_COND_ACK, m->selected, 1));
        if (!m->have_reg) {
            m->reg = v.u.twi.data;
            m->have_reg = 1;
        } else {
            write_reg(m, m->reg, v.u.twi.data);
            if (m->reg != 0x74) m->reg++;
        }
    }
    if (v.u.twi.msg & TWI_COND_READ) {
        uint8_t data = read_reg(m, m->reg);
        if (m->reg != 0x74) m->reg++;
        avr_raise_irq(m->irq + TWI_IRQ_INPUT, avr_twi_irq_msg(TWI_COND_READ, m->selected, data));
    }
}

static void mpu_attach(avr_t *avr, mpu6050 *m) {
    /* no "=" (filtered) prefix: the same ACK message is raised again and again and must not be dropped */
    static const char *names[2] = {"8>mpu6050.out", "32<mpu6050.in"};
    memset(m, 0, sizeof *m);
    m->avr = avr;
    m->regs[0x75] = 0x68; /* WHO_AM_I */
    m->regs[0x6B] = 0x40; /* PWR_MGMT_1 after reset: asleep */
    m->regs[0x41] = (uint8_t)((uint16_t)TEMP_RAW >> 8);
    m->regs[0x42] = (uint8_t)TEMP_RAW;
    m->irq = avr_alloc_irq(&avr->irq_pool, 0, 2, names);
    avr_irq_register_notify(m->irq + TWI_IRQ_OUTPUT, mpu_twi_hook, m);
    avr_connect_irq(m->irq + TWI_IRQ_INPUT, avr_io_getirq(avr, AVR_IOCTL_TWI_GETIRQ(0), TWI_IRQ_INPUT));
    avr_connect_irq(avr_io_getirq(avr, AVR_IOCTL_TWI_GETIRQ(0), TWI_IRQ_OUTPUT), m->irq + TWI_IRQ_OUTPUT);
    avr_register_io_read(avr, 0xB9 /* TWSR */, twsr_read, NULL);
    simavr_twcr_write = avr->io[AVR_DATA_TO_IO(0xBC)].w.c; /* TWCR */
    simavr_twcr_param = avr->io[AVR_DATA_TO_IO(0xBC)].w.param;
    avr->io[AVR_DATA_TO_IO(0xBC)].w.c = twcr_write;
}

/* ---- the host side: UART, reference codec ----------------------------------------------------------- */

typedef struct {
    lp_decoder decoder;
    lp_result result;
    uint32_t frames, damaged, acks, infos, statuses, batches, samples, sample_mismatches, seq_gaps;
    uint8_t ack_seen[16];
    lp_device_info last_info;
    lp_status last_status;
    int have_seq;
    uint32_t next_seq;
    uint64_t next_ts;
    uint32_t period;
    int64_t index_offset; /* chip sample index = sequence + index_offset (fixed at the first batch) */
    int have_offset;
    double max_ts_error; /* ticks: batch timestamp vs the chip's sample clock (5 ms = 312.5 ticks) */
    uint32_t timestamp_backwards;
} host;

static const mpu6050 *chip; /* for the sample times */

static void on_frame(host *h, const lp_result *r) {
    h->frames++;
    if (r->error != LP_ERR_NONE) {
        h->damaged++;
        printf("simavr uno: FAIL: damaged frame from the firmware (error %d at byte %llu)\n", (int)r->error,
               (unsigned long long)r->offset);
        failures++;
        return;
    }
    switch (r->packet.type) {
    case LP_TYPE_ACKNOWLEDGEMENT:
        h->acks++;
        if (r->packet.as.ack.token < 16) h->ack_seen[r->packet.as.ack.token] = (uint8_t)(1 + r->packet.as.ack.result);
        break;
    case LP_TYPE_DEVICE_INFO:
        h->infos++;
        h->last_info = r->packet.as.device_info;
        break;
    case LP_TYPE_STATUS:
        h->statuses++;
        h->last_status = r->packet.as.status;
        break;
    case LP_TYPE_SAMPLE_BATCH: {
        const lp_sample_batch *b = &r->packet.as.sample_batch;
        uint32_t i;
        h->batches++;
        if (h->have_seq && (b->sequence != h->next_seq)) h->seq_gaps++;
        if (!h->have_offset && b->count) {
            /* the first streamed sample's index on the chip, from its own encoding (a[0] = n) */
            h->index_offset = (int64_t)b->samples[0].accel[0] - (int64_t)b->sequence;
            h->have_offset = 1;
        }
        if (h->have_seq && b->timestamp < h->next_ts - b->sample_period) h->timestamp_backwards++;
        if (h->have_offset) {
            /* the firmware dates a batch's first sample from the time it read it and the FIFO's fill: it must
             * agree with the chip's own sample clock (the cycle it took the sample, / 256 = device ticks),
             * late by less than a sample period plus the I2C reads */
            uint32_t index = (uint32_t)((int64_t)b->sequence + h->index_offset);
            double error = (double)b->timestamp - (double)chip->produced_at[index % 8192u] / 256.0;
            if (error < 0) error = -error;
            if (error > h->max_ts_error) h->max_ts_error = error;
        }
        h->period = b->sample_period;
        for (i = 0; i < b->count; i++) {
            int16_t a[3], g[3];
            uint32_t seq = b->sequence + i;
            sample_values((uint32_t)((int64_t)seq + h->index_offset), a, g);
            if (memcmp(a, b->samples[i].accel, sizeof a) || memcmp(g, b->samples[i].gyro, sizeof g))
                h->sample_mismatches++;
            h->samples++;
        }
        h->have_seq = 1;
        h->next_seq = b->sequence + b->count;
        h->next_ts = b->timestamp + (uint64_t)b->count * b->sample_period;
        break;
    }
    default: break;
    }
}

static void uart_out_hook(struct avr_irq_t *irq, uint32_t value, void *param) {
    host *h = param;
    (void)irq;
    if (lp_decoder_push(&h->decoder, (uint8_t)value, &h->result)) on_frame(h, &h->result);
}

static void send_command(avr_t *avr, uint16_t token, uint8_t opcode, int has_argument, uint32_t argument) {
    lp_packet p;
    uint8_t wire[64];
    size_t n, i;
    memset(&p, 0, sizeof p);
    p.type = LP_TYPE_COMMAND;
    p.as.command.token = token;
    p.as.command.opcode = opcode;
    (void)has_argument; /* the codec knows each opcode's argument length */
    p.as.command.argument = argument;
    n = lp_encode(&p, wire, sizeof wire);
    for (i = 0; i < n; i++) avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT), wire[i]);
}

static int run_until(avr_t *avr, double seconds) {
    avr_cycle_count_t end = (avr_cycle_count_t)(seconds * (double)F_CPU);
    while (avr->cycle < end) {
        int state = avr_run(avr);
        if (state == cpu_Done || state == cpu_Crashed) {
            printf("simavr uno: FAIL: the firmware stopped (state %d) at %.3f s\n", state, (double)avr->cycle / F_CPU);
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv) {
    elf_firmware_t fw;
    avr_t *avr;
    static mpu6050 mpu;
    static host h;
    int blank = 0, i;
    double seconds = 3.0;
    uint32_t flags = 0;
    const char *elf = NULL;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--blank-eeprom")) blank = 1;
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else elf = argv[i];
    }
    if (!elf) { fprintf(stderr, "usage: uno_sim FIRMWARE.elf [--blank-eeprom] [--seconds S]\n"); return 2; }
    memset(&fw, 0, sizeof fw);
    if (elf_read_firmware(elf, &fw) != 0) { fprintf(stderr, "uno_sim: %s: not a readable AVR ELF\n", elf); return 2; }
    fw.frequency = F_CPU;
    avr = avr_make_mcu_by_name("atmega328p");
    if (!avr) { fprintf(stderr, "uno_sim: simavr has no atmega328p\n"); return 2; }
    avr_init(avr);
    avr->log = LOG_ERROR;
    avr_load_firmware(avr, &fw);
    avr->vcc = avr->avcc = avr->aref = 5000;

    /* EEPROM: avr_load_firmware wrote the build's record (the ELF's .eeprom); replace it. */
    {
        uint8_t ee[11];
        avr_eeprom_desc_t d;
        if (blank) memset(ee, 0xFF, sizeof ee);
        else {
            uint64_t id = EEPROM_DEVICE_ID;
            int k;
            ee[0] = 'L';
            ee[1] = 'B';
            ee[2] = EEPROM_PLACEMENT;
            for (k = 0; k < 8; k++) ee[3 + k] = (uint8_t)(id >> (8 * k));
        }
        d.ee = ee;
        d.offset = 0;
        d.size = sizeof ee;
        avr_ioctl(avr, AVR_IOCTL_EEPROM_SET, &d);
    }
    avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
    flags &= ~(uint32_t)(AVR_UART_FLAG_STDIO | AVR_UART_FLAG_POLL_SLEEP); /* no console, no real-time sleeps */
    avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
    lp_decoder_init(&h.decoder);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), uart_out_hook, &h);
    mpu_attach(avr, &mpu);
    chip = &mpu;
    avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0), BATTERY_A0_MV);

    /* The script, in simulated time. */
    if (!run_until(avr, 0.2)) return 1;
    send_command(avr, 1, LP_OP_SET_SAMPLE_RATE, 1, 200000); /* 200 Hz */
    if (!run_until(avr, 0.3)) return 1;
    send_command(avr, 2, LP_OP_SET_ACCEL_RANGE, 1, 4);
    if (!run_until(avr, 0.4)) return 1;
    send_command(avr, 3, LP_OP_START_STREAMING, 0, 0);
    if (!run_until(avr, 0.4 + seconds * 0.7)) return 1;
    send_command(avr, 4, LP_OP_REQUEST_STATUS, 0, 0);
    if (!run_until(avr, 0.4 + seconds)) return 1;
    send_command(avr, 5, LP_OP_STOP_STREAMING, 0, 0);
    if (!run_until(avr, 0.5 + seconds)) return 1;

    {
        const lp_device_info *d = &h.last_info;
        const lp_status *s = &h.last_status;
        uint8_t want_placement = blank ? LP_PLACEMENT_LUMBAR : EEPROM_PLACEMENT;
        uint64_t want_id = blank ? 0x4C42000000000001ULL : EEPROM_DEVICE_ID;
        double streamed = seconds;
        uint32_t expected = (uint32_t)(streamed * 200.0);
        CHECK(h.damaged == 0, "%u damaged frames", h.damaged);
        for (i = 1; i <= 5; i++) CHECK(h.ack_seen[i] == 1, "command %d: acknowledgement %s", i,
                                       h.ack_seen[i] ? "not OK" : "missing");
        CHECK(h.infos >= 3, "%u device infos (boot, rate, range expected)", h.infos);
        CHECK(d->placement == want_placement, "device info placement %u, expected %u (%s)", d->placement,
              want_placement, blank ? "the build's, EEPROM blank" : "from EEPROM");
        CHECK(d->device_id == want_id, "device id %016llx, expected %016llx", (unsigned long long)d->device_id,
              (unsigned long long)want_id);
        CHECK(d->imu_part_name_len == 8 && !memcmp(d->imu_part_name, "MPU-6050", 8), "part name %.*s",
              d->imu_part_name_len, d->imu_part_name);
        CHECK(d->sample_rate_mhz == 200000 && d->accel_full_scale_g == 4 && d->tick_hz == 62500,
              "device info rate %u mHz, +-%u g, tick %u Hz (200000, 4, 62500 expected)", d->sample_rate_mhz,
              d->accel_full_scale_g, d->tick_hz);
        CHECK(mpu.regs[0x19] == 4 && mpu.regs[0x1C] == 0x08 && mpu.regs[0x6B] == 0x01 && mpu.regs[0x1A] == 0x03,
              "chip registers SMPLRT_DIV %u ACCEL_CONFIG 0x%02x PWR_MGMT_1 0x%02x CONFIG 0x%02x", mpu.regs[0x19],
              mpu.regs[0x1C], mpu.regs[0x6B], mpu.regs[0x1A]);
        CHECK(h.batches > 0 && h.period == 312, "%u batches, sample period %u ticks (312 = 5 ms expected)",
              h.batches, h.period);
        CHECK(h.seq_gaps == 0, "%u sequence gaps", h.seq_gaps);
        CHECK(h.timestamp_backwards == 0 && h.max_ts_error <= 312.5 + 64,
              "batch timestamps: %u went back, up to %.0f ticks off the chip's sample clock (a period of 312.5 + "
              "64 for the I2C reads allowed)", h.timestamp_backwards, h.max_ts_error);
        CHECK(h.sample_mismatches == 0, "%u of %u samples differ from what the chip produced", h.sample_mismatches,
              h.samples);
        CHECK(h.samples + 20 >= expected && h.samples <= expected + 20, "%u samples in %.1f s at 200 Hz", h.samples,
              streamed);
        /* 10-bit ADC of 1.9 V at AVcc 5 V, times 2 (divider): 3.79-3.80 V; one LiPo cell: (mV - 3300) / 9 % */
        CHECK(h.statuses > 0 && s->battery_mv >= 3780 && s->battery_mv <= 3810 &&
              s->battery_percent == (s->battery_mv - 3300) / 9,
              "status battery %u mV %u %% (about 3800 mV from A0 = %d mV, (mV - 3300) / 9 %% expected)",
              s->battery_mv, s->battery_percent, BATTERY_A0_MV);
        CHECK(s->temperature_centi_c == 2501 && !(s->error_flags & LP_ERROR_IMU_FAULT),
              "status temperature %d centi-degC, flags 0x%x (2501, no IMU fault expected)", s->temperature_centi_c,
              s->error_flags);
        printf("simavr uno: %s: %.2f s simulated (%llu cycles), %u frames decoded by the reference decoder "
               "(%u device infos, %u acks, %u statuses, %u batches, %u samples all equal to the emulated "
               "MPU-6050's, sequence continuous, timestamps within %.0f ticks of the chip's clock), %u I2C transactions, placement %u id %016llx (%s), battery "
               "%u mV (%u %%) from A0, %.2f degC from TEMP_OUT\n",
               failures ? "FAILED" : "passed", (double)avr->cycle / F_CPU, (unsigned long long)avr->cycle,
               h.frames, h.infos, h.acks, h.statuses, h.batches, h.samples, h.max_ts_error, mpu.transactions,
               d->placement,
               (unsigned long long)d->device_id, blank ? "EEPROM blank: the build's" : "EEPROM", s->battery_mv,
               s->battery_percent, s->temperature_centi_c / 100.0);
    }
    return failures ? 1 : 0;
}
