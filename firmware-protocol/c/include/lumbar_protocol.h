/*
 * lumbar_protocol.h: reference C99 codec of the Lumbar sensor wire protocol, version 1.
 * Spec: ../PROTOCOL.md. Golden frames: ../vectors/vectors.json.
 *
 * For microcontrollers: no malloc, no stdio, no floating-point arithmetic (floats are only copied),
 * every buffer is owned by the caller. Frames on the wire are COBS(version, type, payload, CRC-32C) 0x00.
 */
#ifndef LUMBAR_PROTOCOL_H
#define LUMBAR_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Wire constants ---------------------------------------------------------------------------- */

#define LP_PROTOCOL_VERSION 1u
#define LP_DELIMITER 0x00u
/* Largest frame before COBS: version (1) + type (1) + payload + CRC-32C (4). */
#define LP_MAX_FRAME_LEN 1024u
#define LP_FRAME_OVERHEAD 6u
#define LP_MAX_PAYLOAD_LEN (LP_MAX_FRAME_LEN - LP_FRAME_OVERHEAD)
/* Largest COBS-encoded frame without its delimiter: n + ceil(n / 254). */
#define LP_MAX_ENCODED_LEN (LP_MAX_FRAME_LEN + (LP_MAX_FRAME_LEN + 253u) / 254u)
/* Largest frame on the wire, delimiter included: size transmit buffers with this. */
#define LP_MAX_WIRE_LEN (LP_MAX_ENCODED_LEN + 1u)
#define LP_SAMPLE_BATCH_HEADER_LEN 18u
#define LP_RAW_SAMPLE_LEN 12u
#define LP_MAX_SAMPLES ((LP_MAX_PAYLOAD_LEN - LP_SAMPLE_BATCH_HEADER_LEN) / LP_RAW_SAMPLE_LEN) /* 83 */
#define LP_MAX_PART_NAME_LEN 32u

/* ---- Capacity of this build (small MCUs) ----------------------------------------------------------
 * The defaults hold any v1 frame: an lp_decoder takes ~1.1 KiB and an lp_packet ~1 KiB, which a host or
 * a Cortex-M has but an ATmega328P (2 KiB of RAM) does not. A sensor that only sends short batches and
 * receives commands can shrink both at compile time (e.g. -DLP_BATCH_CAPACITY=10 -DLP_DECODER_CAPACITY=32):
 * lp_sample_batch then holds LP_BATCH_CAPACITY samples (lp_encode refuses more), and the decoder reports
 * a frame longer than LP_DECODER_CAPACITY encoded bytes, or a batch of more than LP_BATCH_CAPACITY
 * samples, as LP_ERR_OVERSIZE. A host must keep the defaults (the golden vectors need them). */
#ifndef LP_BATCH_CAPACITY
#define LP_BATCH_CAPACITY LP_MAX_SAMPLES
#endif
#ifndef LP_DECODER_CAPACITY
#define LP_DECODER_CAPACITY LP_MAX_ENCODED_LEN
#endif
#if LP_BATCH_CAPACITY < 1 || LP_BATCH_CAPACITY > LP_MAX_SAMPLES
#error "LP_BATCH_CAPACITY must be 1 .. LP_MAX_SAMPLES (83)"
#endif
#if LP_DECODER_CAPACITY < 16 || LP_DECODER_CAPACITY > LP_MAX_ENCODED_LEN
#error "LP_DECODER_CAPACITY must be 16 .. LP_MAX_ENCODED_LEN (1029)"
#endif

/* Frame types (second byte of a frame). */
enum lp_packet_type {
    LP_TYPE_DEVICE_INFO = 0x01,
    LP_TYPE_SAMPLE_BATCH = 0x02,
    LP_TYPE_STATUS = 0x03,
    LP_TYPE_COMMAND = 0x10,
    LP_TYPE_ACKNOWLEDGEMENT = 0x11
};

enum lp_placement {
    LP_PLACEMENT_UNASSIGNED = 0,
    LP_PLACEMENT_LUMBAR = 1,
    LP_PLACEMENT_LEFT_ANKLE = 2,
    LP_PLACEMENT_RIGHT_ANKLE = 3
};

/* Sample batch flags. */
#define LP_BATCH_ACCEL_SATURATED 0x01u
#define LP_BATCH_GYRO_SATURATED 0x02u

/* Status: reserved "unknown" values and error flags. */
#define LP_STATUS_BATTERY_MV_UNKNOWN 0xFFFFu
#define LP_STATUS_BATTERY_PERCENT_UNKNOWN 0xFFu
#define LP_STATUS_TEMPERATURE_UNKNOWN INT16_MIN
#define LP_STATUS_STREAMING 0x01u
#define LP_ERROR_IMU_FAULT 0x01u
#define LP_ERROR_FIFO_OVERFLOW 0x02u
#define LP_ERROR_BATTERY_LOW 0x04u
#define LP_ERROR_TRANSMIT_OVERFLOW 0x08u
#define LP_ERROR_CLOCK_FAULT 0x10u

/* Command opcodes and the length of their argument (little-endian, after the opcode). */
enum lp_opcode {
    LP_OP_START_STREAMING = 0x01,        /* no argument */
    LP_OP_STOP_STREAMING = 0x02,         /* no argument */
    LP_OP_REQUEST_DEVICE_INFO = 0x03,    /* no argument */
    LP_OP_REQUEST_STATUS = 0x04,         /* no argument */
    LP_OP_SET_SAMPLE_RATE = 0x05,        /* u32 millihertz */
    LP_OP_SET_ACCEL_RANGE = 0x06,        /* u16 g */
    LP_OP_SET_GYRO_RANGE = 0x07,         /* u16 deg/s */
    LP_OP_IDENTIFY = 0x08                /* u16 milliseconds */
};

enum lp_ack_result {
    LP_ACK_OK = 0,
    LP_ACK_UNSUPPORTED = 1,
    LP_ACK_INVALID_ARGUMENT = 2,
    LP_ACK_BUSY = 3,
    LP_ACK_FAILED = 4
};

/* ---- Packets ------------------------------------------------------------------------------------- */

/* One six-axis sample, raw counts (x, y, z). */
typedef struct {
    int16_t accel[3]; /* x accel_g_per_count = g */
    int16_t gyro[3];  /* x gyro_dps_per_count = deg/s */
} lp_raw_sample;

typedef struct {
    uint8_t protocol_version;
    uint8_t firmware_major, firmware_minor, firmware_patch;
    uint64_t device_id;             /* factory-unique */
    uint8_t placement;              /* enum lp_placement; unknown codes mean unassigned */
    uint16_t accel_full_scale_g;    /* ±g */
    uint16_t gyro_full_scale_dps;   /* ±deg/s */
    float accel_g_per_count;        /* IEEE-754 binary32 on the wire */
    float gyro_dps_per_count;       /* IEEE-754 binary32 on the wire */
    uint32_t sample_rate_mhz;       /* millihertz */
    uint32_t tick_hz;               /* device clock, ticks per second; never 0 */
    uint8_t imu_part_name_len;      /* <= LP_MAX_PART_NAME_LEN */
    char imu_part_name[LP_MAX_PART_NAME_LEN]; /* UTF-8, not NUL-terminated */
} lp_device_info;

typedef struct {
    uint32_t sequence;      /* of the first sample: samples produced since power-up, mod 2^32 */
    uint64_t timestamp;     /* ticks, of the first sample */
    uint32_t sample_period; /* ticks between samples */
    uint8_t count;          /* 1 .. LP_BATCH_CAPACITY (LP_MAX_SAMPLES unless shrunk) */
    uint8_t flags;          /* LP_BATCH_* */
    lp_raw_sample samples[LP_BATCH_CAPACITY];
} lp_sample_batch;

typedef struct {
    uint64_t timestamp;           /* ticks */
    uint16_t battery_mv;          /* LP_STATUS_BATTERY_MV_UNKNOWN if unknown */
    uint8_t battery_percent;      /* 0..100, LP_STATUS_BATTERY_PERCENT_UNKNOWN if unknown */
    uint8_t state;                /* LP_STATUS_STREAMING */
    int16_t temperature_centi_c;  /* 0.01 degC, LP_STATUS_TEMPERATURE_UNKNOWN if unknown */
    uint32_t samples_dropped;     /* since power-up, mod 2^32 */
    uint32_t error_flags;         /* LP_ERROR_* */
} lp_status;

typedef struct {
    uint16_t token;    /* echoed by the acknowledgement */
    uint8_t opcode;    /* enum lp_opcode */
    uint32_t argument; /* u32 or u16 per opcode; 0 for opcodes without an argument */
} lp_command;

typedef struct {
    uint16_t token;
    uint8_t opcode;
    uint8_t result; /* enum lp_ack_result */
} lp_ack;

typedef struct {
    uint8_t type; /* enum lp_packet_type */
    union {
        lp_device_info device_info;
        lp_sample_batch sample_batch;
        lp_status status;
        lp_command command;
        lp_ack ack;
    } as;
} lp_packet;

/* ---- CRC-32C (Castagnoli): poly 0x1EDC6F41 reflected, init/xorout 0xFFFFFFFF, check 0xE3069283 ------- */

uint32_t lp_crc32c(const uint8_t *data, size_t len);

/* ---- Encoder --------------------------------------------------------------------------------------- */

/* Writes one frame, delimiter included, into out. Returns its length, or 0 if it does not fit
 * out_cap (LP_MAX_WIRE_LEN always fits) or the packet is invalid (unknown type, count 0 or > LP_BATCH_CAPACITY,
 * part name too long). Needs no buffer of its own: COBS and the CRC are streamed into out. */
size_t lp_encode(const lp_packet *packet, uint8_t *out, size_t out_cap);

/* Writes a frame with an arbitrary version, type and payload (tests, forward compatibility). */
size_t lp_encode_raw(uint8_t version, uint8_t type, const uint8_t *payload, size_t payload_len, uint8_t *out,
                     size_t out_cap);

/* ---- Streaming decoder ----------------------------------------------------------------------------- */

enum lp_error {
    LP_ERR_NONE = 0,
    LP_ERR_OVERSIZE,          /* more than LP_MAX_ENCODED_LEN bytes before a delimiter (or decoded > max) */
    LP_ERR_INVALID_ENCODING,  /* a COBS code byte points past the end: evidence position, code */
    LP_ERR_TOO_SHORT,         /* decoded frame < 6 bytes: evidence length */
    LP_ERR_CRC_MISMATCH,      /* evidence length, crc_received, crc_computed */
    LP_ERR_UNSUPPORTED_VERSION, /* evidence version */
    LP_ERR_UNKNOWN_TYPE,      /* skipped: evidence type, length */
    LP_ERR_MALFORMED_PAYLOAD  /* evidence type, payload_length, defect, minimum_length */
};

enum lp_defect { LP_DEFECT_NONE = 0, LP_DEFECT_TOO_SHORT, LP_DEFECT_EMPTY_SAMPLE_BATCH, LP_DEFECT_ZERO_TICK_FREQUENCY,
                 LP_DEFECT_PART_NAME_TOO_LONG };

enum lp_sequence_event { LP_SEQ_CONTINUOUS = 0, LP_SEQ_GAP = 1, LP_SEQ_RESTART = 2 };

typedef struct {
    uint64_t bytes, frames, crc_failures, oversize_frames, unknown_packet_types, malformed_frames;
    uint64_t sequence_gaps, lost_samples, sequence_restarts, samples;
} lp_counters;

/* What one completed frame produced. */
typedef struct {
    enum lp_error error;  /* LP_ERR_NONE: packet is valid */
    uint64_t offset;      /* stream position of the frame's first byte */
    /* evidence (meaning depends on error) */
    size_t length;        /* decoded frame length (CRC, too short, unknown type) */
    size_t position;      /* invalid encoding: index of the bad code byte */
    uint8_t code;         /* invalid encoding: the bad code byte */
    uint8_t version;      /* unsupported version */
    uint8_t type;         /* unknown type / malformed payload */
    uint32_t crc_received, crc_computed;
    size_t payload_length;  /* malformed payload */
    size_t minimum_length;  /* malformed payload, LP_DEFECT_TOO_SHORT */
    size_t part_name_length; /* malformed payload, LP_DEFECT_PART_NAME_TOO_LONG */
    enum lp_defect defect;
    /* sample batches: continuity with the previous batch */
    enum lp_sequence_event sequence_event;
    uint32_t expected_sequence, lost_samples;
    lp_packet packet;
} lp_result;

typedef struct {
    uint8_t buf[LP_DECODER_CAPACITY]; /* encoded bytes of the frame in progress */
    size_t len;
    int discarding;                  /* oversize reported, skipping to the next delimiter */
    uint64_t frame_start;
    int have_expected;
    uint32_t expected_sequence;
    lp_counters counters;
} lp_decoder;

void lp_decoder_init(lp_decoder *decoder);

/* Feeds one byte. Returns 1 and fills *result when the byte completed a frame (a packet or an error),
 * 0 otherwise. Empty frames (consecutive delimiters) produce nothing. */
int lp_decoder_push(lp_decoder *decoder, uint8_t byte, lp_result *result);

/* Feeds bytes until a frame completes. Returns the number of bytes consumed; *produced is 1 if *result
 * was filled. Call again with the rest until all bytes are consumed. */
size_t lp_decoder_feed(lp_decoder *decoder, const uint8_t *data, size_t len, lp_result *result, int *produced);

/* Forgets the expected sequence number (e.g. after the host deliberately restarted streaming). */
void lp_decoder_reset_sequence(lp_decoder *decoder);

#ifdef __cplusplus
}
#endif

#endif /* LUMBAR_PROTOCOL_H */
