/*
 * motion.c: the built-in motion generator (-DMOTION_GENERATOR), in place of the MPU-6050, so the firmware
 * runs without the chip (in QEMU's arduino-uno, or on a bare board). It acts out a set of bent-knee back
 * kicks on all fours, as an MPU-6050 at that placement would measure them, in counts of the applied ranges:
 *
 *   0 .. 5 s     still on all fours (the host calibrates)
 *   then 4 reps, each 1.0 s up, 0.4 s hold, 1.2 s down, 1.6 s rest: the ankle's shank rotates 80 deg about
 *                the body's medio-lateral axis (from lying on the floor toward vertical) and back;
 *                the third rep arches the lower back: the lumbar sensor extends 12 deg with the leg
 *   then still until 30 s, and the script repeats.
 *
 * The lumbar sensor otherwise only breathes (0.5 deg at 0.25 Hz). Mounting: ankle sensor on the lateral
 * shank (z = medio-lateral, y up when the shank lies on the floor), lumbar sensor flat on the sacrum (z up,
 * y medio-lateral). Placement comes from the build (PLACEMENT) or EEPROM, as for the real sensor.
 * Samples are due on the device clock at the configured rate, so timestamps are exact.
 */
#ifdef MOTION_GENERATOR
#include <math.h>

#include "imu.h"

const char imu_part_name[] = "MPU-6050 (motion generator)";

extern uint8_t device_placement(void);

#define STILL_S 5.0f
#define REP_S 4.2f
#define REPS 4
#define SCRIPT_S 30.0f
#define ARCHING_REP 2
#define LEG_DEG 80.0f
#ifndef ARCH_DEG
#define ARCH_DEG 12.0f /* the arching rep's lumbar extension, degrees (-DARCH_DEG=0: a clean set) */
#endif
#define DEG_TO_RAD 0.017453293f

static uint64_t start_tick, next_tick;
static uint32_t period_ticks = TICK_HZ / 100;
static uint32_t script_ticks; /* position in the script, device ticks */
#define SCRIPT_TICKS ((uint32_t)(SCRIPT_S * TICK_HZ))
static imu_config applied;
static uint32_t noise = 12345;

uint8_t imu_init(imu_config *c) {
    imu_apply(c);
    return 1;
}

void imu_apply(imu_config *c) {
    /* the MPU-6050's rates: 1 kHz / (1 + div), limited here to 10 .. 500 Hz */
    uint32_t want = c->rate_centi_hz ? c->rate_centi_hz : 1;
    uint32_t div = (100000UL + want / 2) / want;
    uint8_t afs = 0, gfs = 0;
    if (div < 2) div = 2;
    if (div > 100) div = 100;
    c->rate_centi_hz = (uint16_t)(100000UL / div);
    period_ticks = TICK_HZ * div / 1000UL;
    while (afs < 3 && c->accel_range_g > (2u << afs) + (2u << afs) / 2) afs++;
    while (gfs < 3 && c->gyro_range_dps > (250u << gfs) + (250u << gfs) / 2) gfs++;
    c->accel_range_g = (uint8_t)(2u << afs);
    c->gyro_range_dps = (uint16_t)(250u << gfs);
    applied = *c;
}

void imu_start(uint64_t now_ticks) {
    start_tick = now_ticks;
    next_tick = now_ticks;
    script_ticks = 0;
}

/* Angle (deg) and rate (deg/s) of a rep's profile at time t into the rep: smooth cosine ramps. */
static void rep_profile(float t, float amplitude, float *angle, float *rate) {
    const float up = 1.0f, hold = 0.4f, down = 1.2f;
    *angle = 0;
    *rate = 0;
    if (t < 0) return;
    if (t < up) {
        *angle = amplitude * 0.5f * (1.0f - cosf((float)M_PI * t / up));
        *rate = amplitude * 0.5f * (float)M_PI / up * sinf((float)M_PI * t / up);
    } else if (t < up + hold) {
        *angle = amplitude;
    } else if (t < up + hold + down) {
        float u = (t - up - hold) / down;
        *angle = amplitude * 0.5f * (1.0f + cosf((float)M_PI * u));
        *rate = -amplitude * 0.5f * (float)M_PI / down * sinf((float)M_PI * u);
    }
}

static int16_t counts(float value, float per_count) {
    float c = value / per_count;
    if (c > 32767.0f) return 32767;
    if (c < -32768.0f) return -32768;
    return (int16_t)lrintf(c);
}

static int16_t jitter(void) { /* +-3 counts of deterministic sensor noise */
    noise = noise * 1103515245UL + 12345UL;
    return (int16_t)((noise >> 16) % 7u) - 3;
}

uint8_t imu_read(uint64_t now_ticks, lp_raw_sample *s, uint64_t *taken_at, uint16_t *dropped) {
    float t, in_rep, angle = 0, rate = 0, g_per = imu_accel_g_per_count(&applied),
          dps_per = imu_gyro_dps_per_count(&applied);
    uint8_t placement = device_placement(), rep;
    *dropped = 0;
    if (now_ticks < next_tick) return 0;
    *taken_at = next_tick;
    next_tick += period_ticks;
    t = (float)script_ticks / (float)TICK_HZ;
    script_ticks += period_ticks;
    if (script_ticks >= SCRIPT_TICKS) script_ticks -= SCRIPT_TICKS;
    in_rep = t - STILL_S;
    rep = in_rep >= 0 ? (uint8_t)(in_rep / REP_S) : 0xFF;
    if (rep < REPS) {
        float local = in_rep - rep * REP_S;
        if (placement == LP_PLACEMENT_LUMBAR) {
            if (rep == ARCHING_REP) rep_profile(local, ARCH_DEG, &angle, &rate);
        } else {
            rep_profile(local, LEG_DEG, &angle, &rate);
        }
    }
    if (placement == LP_PLACEMENT_LUMBAR) { /* breathing */
        angle += 0.5f * sinf(2.0f * (float)M_PI * 0.25f * t);
        rate += 0.5f * 2.0f * (float)M_PI * 0.25f * cosf(2.0f * (float)M_PI * 0.25f * t);
        /* extension about y: gravity in the sensor frame (-sin, 0, cos) */
        s->accel[0] = counts(-sinf(angle * DEG_TO_RAD), g_per) + jitter();
        s->accel[1] = jitter();
        s->accel[2] = counts(cosf(angle * DEG_TO_RAD), g_per) + jitter();
        s->gyro[0] = jitter();
        s->gyro[1] = counts(rate, dps_per) + jitter();
        s->gyro[2] = jitter();
    } else {
        /* the shank rotates about z: gravity in the sensor frame (sin, cos, 0) */
        s->accel[0] = counts(sinf(angle * DEG_TO_RAD), g_per) + jitter();
        s->accel[1] = counts(cosf(angle * DEG_TO_RAD), g_per) + jitter();
        s->accel[2] = jitter();
        s->gyro[0] = jitter();
        s->gyro[1] = jitter();
        s->gyro[2] = counts(rate, dps_per) + jitter();
    }
    return 1;
}

float imu_accel_g_per_count(const imu_config *c) { return (float)c->accel_range_g / 32768.0f; }
float imu_gyro_dps_per_count(const imu_config *c) {
    switch (c->gyro_range_dps) {
    case 250: return 1.0f / 131.0f;
    case 500: return 1.0f / 65.5f;
    case 1000: return 1.0f / 32.8f;
    default: return 1.0f / 16.4f;
    }
}

int16_t imu_temperature_centi_c(void) { return LP_STATUS_TEMPERATURE_UNKNOWN; }
#endif
