/*
 * mpu6050.c: an InvenSense MPU-6050 on the ATmega328P's TWI (I2C, 400 kHz, address 0x68, AD0 low).
 * Samples go through the MPU's own 1 KiB FIFO (accel xyz + gyro xyz, 12 bytes per sample, big-endian) at
 * the configured rate: 1 kHz / (1 + SMPLRT_DIV) with the digital low-pass filter on. The MPU's clock
 * sets the sample times, so a sample's time is reconstructed from the read time and the FIFO fill.
 */
#ifndef MOTION_GENERATOR
#include <avr/io.h>
#include <util/twi.h>

#include "imu.h"

#define MPU_ADDR 0x68
#define REG_SMPLRT_DIV 0x19
#define REG_CONFIG 0x1A
#define REG_GYRO_CONFIG 0x1B
#define REG_ACCEL_CONFIG 0x1C
#define REG_FIFO_EN 0x23
#define REG_INT_STATUS 0x3A
#define REG_TEMP_OUT_H 0x41
#define REG_USER_CTRL 0x6A
#define REG_PWR_MGMT_1 0x6B
#define REG_FIFO_COUNT_H 0x72
#define REG_FIFO_R_W 0x74
#define REG_WHO_AM_I 0x75
#define FIFO_BYTES 1024u
#define SAMPLE_BYTES 12u

const char imu_part_name[] = "MPU-6050";

static uint8_t twi_wait(void) {
    uint16_t guard = 0xFFFF;
    while (!(TWCR & _BV(TWINT)))
        if (--guard == 0) return 0; /* a stuck bus must not hang the firmware */
    return 1;
}
static uint8_t twi_start(uint8_t address_rw) {
    TWCR = _BV(TWINT) | _BV(TWSTA) | _BV(TWEN);
    if (!twi_wait()) return 0;
    TWDR = address_rw;
    TWCR = _BV(TWINT) | _BV(TWEN);
    if (!twi_wait()) return 0;
    return TW_STATUS == TW_MT_SLA_ACK || TW_STATUS == TW_MR_SLA_ACK;
}
static void twi_stop(void) { TWCR = _BV(TWINT) | _BV(TWSTO) | _BV(TWEN); }
static uint8_t twi_write(uint8_t byte) {
    TWDR = byte;
    TWCR = _BV(TWINT) | _BV(TWEN);
    return twi_wait() && TW_STATUS == TW_MT_DATA_ACK;
}
static uint8_t write_reg(uint8_t reg, uint8_t value) {
    uint8_t ok = twi_start(MPU_ADDR << 1) && twi_write(reg) && twi_write(value);
    twi_stop();
    return ok;
}
static uint8_t read_regs(uint8_t reg, uint8_t *out, uint8_t n) {
    uint8_t i;
    if (!(twi_start(MPU_ADDR << 1) && twi_write(reg) && twi_start((MPU_ADDR << 1) | 1))) { twi_stop(); return 0; }
    for (i = 0; i < n; i++) {
        TWCR = _BV(TWINT) | _BV(TWEN) | (i + 1 < n ? _BV(TWEA) : 0);
        if (!twi_wait()) { twi_stop(); return 0; }
        out[i] = TWDR;
    }
    twi_stop();
    return 1;
}

static uint16_t period_ticks = 2500; /* device ticks per sample */
static uint8_t div_applied;

void imu_apply(imu_config *c) {
    /* rate = 1000 Hz / (1 + div), div 1 .. 99 (500 .. 10 Hz): the nearest to the request */
    uint32_t want = c->rate_centi_hz ? c->rate_centi_hz : 1;
    uint32_t div = (100000UL + want / 2) / want;
    uint8_t afs = 0, gfs = 0;
    if (div < 2) div = 2;
    if (div > 100) div = 100;
    div_applied = (uint8_t)(div - 1);
    c->rate_centi_hz = (uint16_t)(100000UL / div);
    period_ticks = (uint16_t)(TICK_HZ * div / 1000UL);
    while (afs < 3 && c->accel_range_g > (2u << afs) + (2u << afs) / 2) afs++;
    while (gfs < 3 && c->gyro_range_dps > (250u << gfs) + (250u << gfs) / 2) gfs++;
    c->accel_range_g = (uint8_t)(2u << afs);
    c->gyro_range_dps = (uint16_t)(250u << gfs);
    write_reg(REG_SMPLRT_DIV, div_applied);
    write_reg(REG_ACCEL_CONFIG, (uint8_t)(afs << 3));
    write_reg(REG_GYRO_CONFIG, (uint8_t)(gfs << 3));
}

uint8_t imu_init(imu_config *c) {
    uint8_t who = 0;
    TWSR = 0;
    TWBR = (uint8_t)((F_CPU / 400000UL - 16) / 2); /* 400 kHz */
    if (!read_regs(REG_WHO_AM_I, &who, 1) || who != 0x68) return 0;
    write_reg(REG_PWR_MGMT_1, 0x01); /* wake, PLL on the gyro X clock */
    write_reg(REG_CONFIG, 0x03);     /* DLPF 44 Hz: gyro output rate 1 kHz */
    imu_apply(c);
    write_reg(REG_FIFO_EN, 0x78);    /* accel xyz + gyro xyz */
    write_reg(REG_USER_CTRL, 0x44);  /* FIFO on, reset */
    return 1;
}

void imu_start(uint64_t now_ticks) {
    (void)now_ticks;
    write_reg(REG_USER_CTRL, 0x44);
}

static uint16_t fifo_samples(uint16_t *dropped) {
    uint8_t b[2], status = 0;
    *dropped = 0;
    read_regs(REG_INT_STATUS, &status, 1);
    if (status & 0x10) { /* FIFO overflow: its content is no longer sample-aligned, start over */
        write_reg(REG_USER_CTRL, 0x44);
        *dropped = FIFO_BYTES / SAMPLE_BYTES;
        return 0;
    }
    if (!read_regs(REG_FIFO_COUNT_H, b, 2)) return 0;
    return (uint16_t)(((uint16_t)b[0] << 8) | b[1]) / SAMPLE_BYTES;
}

uint8_t imu_read(uint64_t now_ticks, lp_raw_sample *s, uint64_t *taken_at, uint16_t *dropped) {
    uint8_t raw[SAMPLE_BYTES], axis;
    uint16_t queued = fifo_samples(dropped);
    if (queued == 0 || !read_regs(REG_FIFO_R_W, raw, SAMPLE_BYTES)) return 0;
    for (axis = 0; axis < 3; axis++) {
        s->accel[axis] = (int16_t)(((uint16_t)raw[2 * axis] << 8) | raw[2 * axis + 1]);
        s->gyro[axis] = (int16_t)(((uint16_t)raw[6 + 2 * axis] << 8) | raw[6 + 2 * axis + 1]);
    }
    /* the oldest queued sample was taken (queued - 1) periods before the newest, which is about now */
    *taken_at = now_ticks - (uint64_t)(queued - 1) * period_ticks;
    return 1;
}

float imu_accel_g_per_count(const imu_config *c) { return (float)c->accel_range_g / 32768.0f; }
float imu_gyro_dps_per_count(const imu_config *c) {
    /* datasheet: 131, 65.5, 32.8, 16.4 LSB/(deg/s) */
    switch (c->gyro_range_dps) {
    case 250: return 1.0f / 131.0f;
    case 500: return 1.0f / 65.5f;
    case 1000: return 1.0f / 32.8f;
    default: return 1.0f / 16.4f;
    }
}

int16_t imu_temperature_centi_c(void) {
    uint8_t b[2];
    int32_t raw;
    if (!read_regs(REG_TEMP_OUT_H, b, 2)) return LP_STATUS_TEMPERATURE_UNKNOWN;
    raw = (int16_t)(((uint16_t)b[0] << 8) | b[1]);
    return (int16_t)(raw * 100 / 340 + 3653); /* datasheet: raw / 340 + 36.53 degC */
}
#endif
