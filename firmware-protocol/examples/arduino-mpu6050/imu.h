/*
 * imu.h: where the firmware's samples come from. Two implementations, chosen at compile time:
 * mpu6050.c (an MPU-6050 on I2C, read through its FIFO) or motion.c (-DMOTION_GENERATOR: a built-in
 * motion generator acting out back kicks, so the firmware runs without the chip, e.g. in QEMU).
 */
#ifndef IMU_H
#define IMU_H

#include <stdint.h>

#include "lumbar_protocol.h"

/* The configuration the host can change (PROTOCOL.md 5.4), as applied by the IMU. */
typedef struct {
    uint16_t rate_centi_hz;   /* output data rate, 0.01 Hz */
    uint8_t accel_range_g;    /* 2, 4, 8, 16 */
    uint16_t gyro_range_dps;  /* 250, 500, 1000, 2000 */
} imu_config;

/* Sets up the IMU; returns 0 if it does not answer (status error flag "IMU fault"). */
uint8_t imu_init(imu_config *config);
/* Applies the nearest supported rate and ranges to *config (in place) and to the IMU. */
void imu_apply(imu_config *config);
/* Streaming starts: empties the FIFO and restarts the motion script. */
void imu_start(uint64_t now_ticks);
/* Reads the next sample if one is ready: returns 1 and fills *sample and *taken_at (device ticks). Sets
 * *dropped to the number of samples lost before it (FIFO overflow). */
uint8_t imu_read(uint64_t now_ticks, lp_raw_sample *sample, uint64_t *taken_at, uint16_t *dropped);
/* Sensitivities of the applied ranges (datasheet values), for the device info. */
float imu_accel_g_per_count(const imu_config *config);
float imu_gyro_dps_per_count(const imu_config *config);
/* Die temperature, 0.01 degC, or LP_STATUS_TEMPERATURE_UNKNOWN. */
int16_t imu_temperature_centi_c(void);
extern const char imu_part_name[];

/* The device clock (main.c): timer1 at F_CPU/256 = 62.5 kHz, 16 us ticks, extended to 64 bits. Call it
 * at least once per 1.05 s (a wrap of the 16-bit counter). */
#define TICK_HZ (F_CPU / 256UL)
uint64_t clock_ticks(void);

#endif
