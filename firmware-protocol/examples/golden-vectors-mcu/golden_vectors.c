/*
 * golden_vectors.c: checks the reference codec against vectors/vectors.json on the MCU itself, and times
 * lp_encode/lp_decoder_push of sample batches with the MCU's own timer. Platform-neutral C99.
 */
#include "golden_vectors.h"

#include <string.h>

#include "lumbar_protocol.h"

/* One expected receiver event (see gen_vectors_c.py): kind is an lp_error (1..7), 0x80|type for a
 * delivered packet (frame_at/frame_len: the generator's frame for its fields), 0x40 a gap, 0x41 a restart. */
typedef struct {
    uint8_t kind;
    uint32_t offset, a, b, c, d;
    uint16_t frame_at, frame_len;
} gv_event;

typedef struct {
    char name[32];
    uint16_t stream_at, stream_len, first_event, event_count;
    uint32_t counters[9];
} gv_vector;

#if defined(__AVR__)
#include <avr/pgmspace.h>
#define GV_FLASH PROGMEM
#else
#define GV_FLASH
#endif

#include "golden_vectors_data.h"

/* ---- text output without stdio ---- */

static void put_str(const char *s) { while (*s) gv_putc(*s++); }
static void put_u32(uint32_t v) {
    char digits[10];
    int n = 0;
    do { digits[n++] = (char)('0' + (v % 10u)); v /= 10u; } while (v);
    while (n) gv_putc(digits[--n]);
}
static void put_line_end(void) { gv_putc('\r'); gv_putc('\n'); }

/* ---- state: static, not on the stack (an lp_decoder and an lp_result are ~1.1 KiB each) ---- */

static lp_decoder decoder;
static lp_result result;
static uint8_t wire[LP_MAX_WIRE_LEN];
static uint8_t expected_frame[LP_MAX_WIRE_LEN];
static uint8_t chunk[64];
static gv_vector vec;
static gv_event ev;
static uint16_t next_event;
static const char *failure;
static uint32_t failure_value;

static void fail(const char *why, uint32_t value) {
    if (!failure) { failure = why; failure_value = value; }
}

static int load_event(void) {
    if (next_event >= vec.event_count) { fail("more events than expected, at offset ", (uint32_t)result.offset); return 0; }
    gv_flash_copy(&ev, &gv_events[vec.first_event + next_event], sizeof ev);
    next_event++;
    return 1;
}

/* Checks one result the decoder produced against the expected events. */
static void check_result(void) {
    if (result.error != LP_ERR_NONE) {
        if (!load_event()) return;
        if (ev.kind != (uint8_t)result.error) { fail("wrong outcome: kind ", (uint32_t)result.error); return; }
        if (result.offset != ev.offset) { fail("wrong offset ", (uint32_t)result.offset); return; }
        switch (result.error) {
        case LP_ERR_INVALID_ENCODING:
            if (result.position != ev.a || result.code != ev.b) fail("invalid_encoding evidence, position ", (uint32_t)result.position);
            break;
        case LP_ERR_TOO_SHORT:
            if (result.length != ev.a) fail("too_short length ", (uint32_t)result.length);
            break;
        case LP_ERR_CRC_MISMATCH:
            if (result.length != ev.a || result.crc_received != ev.b || result.crc_computed != ev.c)
                fail("crc_mismatch evidence, computed ", result.crc_computed);
            break;
        case LP_ERR_UNSUPPORTED_VERSION:
            if (result.version != ev.a) fail("version ", result.version);
            break;
        case LP_ERR_UNKNOWN_TYPE:
            if (result.type != ev.a || result.length != ev.b) fail("unknown type evidence ", result.type);
            break;
        case LP_ERR_MALFORMED_PAYLOAD:
            if (result.type != ev.a || result.payload_length != ev.b || (uint32_t)result.defect != ev.c ||
                result.minimum_length != ev.d)
                fail("malformed evidence, defect ", (uint32_t)result.defect);
            break;
        default: break;
        }
        return;
    }
    if (result.packet.type == LP_TYPE_SAMPLE_BATCH && result.sequence_event != LP_SEQ_CONTINUOUS) {
        uint32_t received = result.packet.as.sample_batch.sequence;
        if (!load_event()) return;
        if (result.sequence_event == LP_SEQ_GAP) {
            if (ev.kind != 0x40 || result.expected_sequence != ev.a || received != ev.b ||
                result.lost_samples != ev.b - ev.a)
                { fail("sequence gap, expected ", result.expected_sequence); return; }
        } else if (ev.kind != 0x41 || result.expected_sequence != ev.a || received != ev.b) {
            fail("sequence restart, expected ", result.expected_sequence);
            return;
        }
    }
    if (!load_event()) return;
    if (ev.kind != (0x80u | result.packet.type)) { fail("wrong packet type ", result.packet.type); return; }
    /* Re-encode what was decoded (read as a v1 receiver must: unknown placements are unassigned, reserved
     * state bits 0) and compare with the independent generator's frame for the expected fields. */
    if (result.packet.type == LP_TYPE_DEVICE_INFO && result.packet.as.device_info.placement > LP_PLACEMENT_RIGHT_ANKLE)
        result.packet.as.device_info.placement = LP_PLACEMENT_UNASSIGNED;
    if (result.packet.type == LP_TYPE_STATUS) result.packet.as.status.state &= LP_STATUS_STREAMING;
    {
        size_t n = lp_encode(&result.packet, wire, sizeof wire);
        if (n != ev.frame_len) { fail("re-encoded frame length ", (uint32_t)n); return; }
        gv_flash_copy(expected_frame, &gv_bytes[ev.frame_at], n);
        if (memcmp(wire, expected_frame, n) != 0) fail("re-encoded frame differs from the generator's, length ", (uint32_t)n);
    }
}

static int check_counters(void) {
    const lp_counters *c = &decoder.counters;
    const uint64_t got[9] = {c->frames, c->crc_failures, c->oversize_frames, c->unknown_packet_types,
                             c->malformed_frames, c->sequence_gaps, c->lost_samples, c->sequence_restarts,
                             c->samples};
    int i;
    for (i = 0; i < 9; i++)
        if (got[i] != vec.counters[i]) { fail("counter differs, index ", (uint32_t)i); return 0; }
    if (c->bytes != vec.stream_len) { fail("byte counter ", (uint32_t)c->bytes); return 0; }
    if (next_event != vec.event_count) { fail("events missing: got ", next_event); return 0; }
    return 1;
}

/* Feeds vector v in chunks of `step` bytes (1: lp_decoder_push, else lp_decoder_feed). */
static int run_vector(uint16_t v, size_t step) {
    uint16_t pos = 0;
    gv_flash_copy(&vec, &gv_vectors[v], sizeof vec);
    lp_decoder_init(&decoder);
    next_event = 0;
    failure = 0;
    while (pos < vec.stream_len && !failure) {
        size_t left = (size_t)(vec.stream_len - pos), n = left < step ? left : step, used = 0;
        gv_flash_copy(chunk, &gv_bytes[vec.stream_at + pos], n);
        if (step == 1) {
            if (lp_decoder_push(&decoder, chunk[0], &result)) check_result();
        } else {
            while (used < n && !failure) {
                int produced;
                used += lp_decoder_feed(&decoder, chunk + used, n - used, &result, &produced);
                if (produced) check_result();
            }
        }
        pos = (uint16_t)(pos + n);
    }
    if (!failure) check_counters();
    return failure == 0;
}

/* ---- benchmark: a batch like a sensor sends it ---- */

static lp_packet bench_packet;

static void bench(uint8_t count, uint16_t reps) {
    uint32_t t0, encode_ticks, decode_ticks;
    size_t n = 0, i;
    uint16_t r;
    lp_sample_batch *b = &bench_packet.as.sample_batch;
    bench_packet.type = LP_TYPE_SAMPLE_BATCH;
    b->sequence = 123456u;
    b->timestamp = 987654321u;
    b->sample_period = 10000u;
    b->count = count;
    b->flags = 0;
    for (i = 0; i < count; i++) { /* realistic counts: gravity on z, small noise elsewhere */
        b->samples[i].accel[0] = (int16_t)(37 * (int)i - 200);
        b->samples[i].accel[1] = (int16_t)(-11 * (int)i + 90);
        b->samples[i].accel[2] = 4096;
        b->samples[i].gyro[0] = (int16_t)(3 * (int)i - 5);
        b->samples[i].gyro[1] = (int16_t)(-700 + 29 * (int)i);
        b->samples[i].gyro[2] = (int16_t)(1 - (int)i);
    }
    t0 = gv_timer_now();
    for (r = 0; r < reps; r++) n = lp_encode(&bench_packet, wire, sizeof wire);
    encode_ticks = gv_timer_now() - t0;
    lp_decoder_init(&decoder);
    t0 = gv_timer_now();
    for (r = 0; r < reps; r++)
        for (i = 0; i < n; i++) (void)lp_decoder_push(&decoder, wire[i], &result);
    decode_ticks = gv_timer_now() - t0;
    put_str("BENCH samples=");
    put_u32(count);
    put_str(" wire_bytes=");
    put_u32((uint32_t)n);
    put_str(" reps=");
    put_u32(reps);
    put_str(" encode_ticks=");
    put_u32(encode_ticks);
    put_str(" decode_ticks=");
    put_u32(decode_ticks);
    put_str(" timer_hz=");
    put_u32(gv_timer_hz);
    put_str(" decoded_ok=");
    put_u32(decoder.counters.frames == reps ? 1u : 0u);
    put_line_end();
}

int gv_run(void) {
    static const size_t steps[3] = {1, 7, 64};
    uint16_t v, passed = 0;
    put_line_end();
    put_str("lumbar golden vectors on ");
    put_str(gv_platform_name);
    put_str(": sizeof(int)=");
    put_u32((uint32_t)sizeof(int));
    put_str(" sizeof(lp_decoder)=");
    put_u32((uint32_t)sizeof(lp_decoder));
    put_str(" sizeof(lp_result)=");
    put_u32((uint32_t)sizeof(lp_result));
    put_line_end();
    for (v = 0; v < GV_VECTOR_COUNT; v++) {
        int s, ok = 1;
        for (s = 0; s < 3 && ok; s++) {
            ok = run_vector(v, steps[s]);
            if (!ok) {
                put_str("vector ");
                put_str(vec.name);
                put_str(": FAIL (chunks of ");
                put_u32((uint32_t)steps[s]);
                put_str("): ");
                put_str(failure);
                put_u32(failure_value);
                put_line_end();
            }
        }
        if (ok) {
            passed++;
            put_str("vector ");
            put_str(vec.name);
            put_str(": pass");
            put_line_end();
        }
    }
    {   /* CRC check value of the spec */
        static const uint8_t check[9] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
        if (lp_crc32c(check, 9) != 0xE3069283u) {
            put_str("crc32c check value: FAIL");
            put_line_end();
            passed = 0;
        }
    }
    bench(1, 200);
    bench(8, 100);
    bench(LP_BATCH_CAPACITY < 83 ? LP_BATCH_CAPACITY : 83, 20);
    put_str(passed == GV_VECTOR_COUNT ? "GOLDEN VECTORS: PASS " : "GOLDEN VECTORS: FAIL ");
    put_u32(passed);
    gv_putc('/');
    put_u32(GV_VECTOR_COUNT);
    put_line_end();
    return passed == GV_VECTOR_COUNT;
}
