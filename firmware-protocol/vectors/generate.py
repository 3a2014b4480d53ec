#!/usr/bin/env python3
"""Writes vectors.json: golden frames of the Lumbar wire protocol v1 with their decoded meaning.

An implementation independent of both codecs (Python, from PROTOCOL.md alone), so that the Swift and C
codecs are checked against the spec rather than against each other. Run: python3 generate.py > vectors.json
Each vector is a byte stream fed to a fresh decoder; `expect` lists what the receiver must report, in
order, and `counters` its totals afterwards.
"""
import json
import struct

VERSION = 1
MAX_FRAME = 1024
MAX_ENCODED = MAX_FRAME + (MAX_FRAME + 253) // 254


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


def cobs(data: bytes) -> bytes:
    out, block = bytearray(), bytearray()
    for i, byte in enumerate(data):
        if byte == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
        else:
            block.append(byte)
            if len(block) == 254 and i + 1 < len(data):
                out += b"\xff" + block
                block = bytearray()
    out += bytes([len(block) + 1]) + block
    return bytes(out)


def frame(type_, payload, version=VERSION, crc=None):
    body = bytes([version, type_]) + payload
    return cobs(body + struct.pack("<I", crc32c(body) if crc is None else crc)) + b"\x00"


# ---- packets: bytes and the meaning a receiver must report -------------------------------------------

PLACEMENTS = {0: "unassigned", 1: "lumbar", 2: "left_ankle", 3: "right_ankle"}


def device_info(device_id=0x0123456789ABCDEF, placement=1, name=b"LSM6DSO", tick_hz=1_000_000, name_len=None,
                fw=(1, 2, 3), accel_fs=8, gyro_fs=2000, accel_sens=0.000244, gyro_sens=0.07, rate_mhz=208_000):
    # The defaults are an LSM6DSO's datasheet sensitivities at +-8 g and +-2000 dps (0.244 mg/LSB and
    # 70 mdps/LSB, PROTOCOL.md 5.1), not full scale / 32768 (0.244140625 mg and 61.04 mdps).
    payload = struct.pack("<BBBBQBHHffIIB", VERSION, *fw, device_id, placement, accel_fs, gyro_fs, accel_sens,
                          gyro_sens, rate_mhz, tick_hz, len(name) if name_len is None else name_len) + name
    meaning = {"packet": "device_info", "protocol_version": VERSION, "firmware_version": "%d.%d.%d" % fw,
               "device_id": "%016x" % device_id, "placement": PLACEMENTS.get(placement, "unassigned"),
               "imu_part_name": name.decode(), "accelerometer_full_scale_g": accel_fs,
               "gyroscope_full_scale_dps": gyro_fs,
               "accelerometer_g_per_count": struct.unpack("<f", struct.pack("<f", accel_sens))[0],
               "gyroscope_dps_per_count": struct.unpack("<f", struct.pack("<f", gyro_sens))[0],
               "sample_rate_mhz": rate_mhz, "tick_hz": tick_hz}
    return frame(0x01, payload), meaning, payload


def sample_batch(sequence, samples, timestamp=1_000_000, period=4808, flags=0):
    payload = struct.pack("<IQIBB", sequence, timestamp, period, len(samples), flags)
    for s in samples:
        payload += struct.pack("<6h", *s)
    meaning = {"packet": "sample_batch", "sequence": sequence, "timestamp": timestamp, "sample_period": period,
               "flags": flags, "samples": [list(s) for s in samples]}
    return frame(0x02, payload), meaning, payload


def ramp(sequence, count):
    return [((sequence + i) % 32768, -1000 - i, 4096, i * 3, -(i * 7), 12) for i in range(count)]


def status(timestamp=5_000_000, mv=3987, pct=81, state=1, temp=3125, dropped=7, errors=0x02):
    payload = struct.pack("<QHBBhII", timestamp, mv, pct, state, temp, dropped, errors)
    meaning = {"packet": "status", "timestamp": timestamp, "battery_mv": None if mv == 0xFFFF else mv,
               "battery_percent": None if pct == 0xFF else pct, "streaming": bool(state & 1),
               "temperature_centi_c": None if temp == -32768 else temp, "samples_dropped": dropped,
               "error_flags": errors}
    return frame(0x03, payload), meaning, payload


ARGUMENTS = {0x05: "<I", 0x06: "<H", 0x07: "<H", 0x08: "<H"}


def command(token, opcode, argument=None):
    payload = struct.pack("<HB", token, opcode)
    if opcode in ARGUMENTS:
        payload += struct.pack(ARGUMENTS[opcode], argument)
    meaning = {"packet": "command", "token": token, "opcode": opcode,
               "argument": argument if opcode in ARGUMENTS else None}
    return frame(0x10, payload), meaning, payload


def ack(token, opcode, result, extra=b""):
    payload = struct.pack("<HBB", token, opcode, result) + extra
    return frame(0x11, payload), {"packet": "acknowledgement", "token": token, "opcode": opcode,
                                  "result": result}, payload


# ---- streams -----------------------------------------------------------------------------------------

# Every counter of PROTOCOL.md section 3, in its order: `bytes` is the stream's length.
ZERO = {"bytes": 0, "frames": 0, "crc_failures": 0, "oversize_frames": 0, "unknown_packet_types": 0, "malformed_frames": 0,
        "sequence_gaps": 0, "lost_samples": 0, "sequence_restarts": 0, "samples": 0}


class Stream:
    def __init__(self, name, description):
        self.name, self.description = name, description
        self.bytes, self.expect, self.counters = bytearray(), [], dict(ZERO)
        self.expected_sequence = None

    def good(self, built):
        data, meaning, _ = built
        if meaning["packet"] == "sample_batch":
            seq, count = meaning["sequence"], len(meaning["samples"])
            if self.expected_sequence is not None and seq != self.expected_sequence:
                ahead = (seq - self.expected_sequence) % 2**32
                if ahead < 2**31:
                    self.expect.append({"samples_lost": ahead, "expected": self.expected_sequence, "received": seq})
                    self.counters["sequence_gaps"] += 1
                    self.counters["lost_samples"] += ahead
                else:
                    self.expect.append({"sequence_restarted": True, "expected": self.expected_sequence,
                                        "received": seq})
                    self.counters["sequence_restarts"] += 1
            self.expected_sequence = (seq + count) % 2**32
            self.counters["samples"] += count
        self.expect.append(meaning)
        self.counters["frames"] += 1
        self.bytes += data
        return self

    def bad(self, data, counter, **error):
        error = dict(error)
        error["offset"] = len(self.bytes)
        self.expect.append(error)
        self.counters[counter] += 1
        self.bytes += data
        return self

    def raw(self, data):
        self.bytes += data
        return self

    def json(self):
        return {"name": self.name, "description": self.description, "hex": self.bytes.hex(),
                "expect": self.expect, "counters": dict(self.counters, bytes=len(self.bytes))}


def code_walk_error(encoded: bytes):
    """Position and code of the first COBS code byte that points past the end, if any."""
    pos = 0
    while pos < len(encoded):
        code = encoded[pos]
        if pos + code > len(encoded):
            return pos, code
        pos += code
    return None


vectors = []

s = Stream("device_info", "Device info of a lumbar sensor with an LSM6DSO at +-8 g / +-2000 dps, 208 Hz, 1 us ticks: "
                          "its datasheet sensitivities 0.244 mg/LSB and 70 mdps/LSB.")
vectors.append(s.good(device_info()))

s = Stream("device_info_unknown_placement", "Placement code 9 is unknown to v1: read as unassigned. A BMI270 at +-16 g / "
           "+-500 dps, whose datasheet sensitivities (2048 LSB/g, 65.536 LSB per deg/s) are exactly 16/32768 and 500/32768.")
vectors.append(s.good(device_info(placement=9, name=b"BMI270", device_id=0xFFFFFFFFFFFFFFFF, tick_hz=32768,
                                  accel_fs=16, gyro_fs=500, accel_sens=16 / 32768, gyro_sens=500 / 32768,
                                  rate_mhz=99_840, fw=(0, 0, 255))))

s = Stream("sample_batch", "Three samples starting at sequence 1000, 4808-tick period.")
vectors.append(s.good(sample_batch(1000, ramp(1000, 3))))

s = Stream("sample_batch_saturated", "Both saturation flags; counts at the int16 limits.")
vectors.append(s.good(sample_batch(7, [(32767, -32768, 0, -32768, 32767, 1), (-1, 1, -2, 2, -3, 3)], flags=3,
                                   timestamp=2**52, period=1)))

s = Stream("sample_batch_long_cobs_blocks", "83 samples (the maximum) without zero bytes: COBS 0xFF blocks.")
vectors.append(s.good(sample_batch(0x01010101, [(0x0101 + i, 0x0202, 0x0303, 0x0404, 0x0505, 0x0606) for i in range(83)],
                                   timestamp=0x0101010101, period=0x01010101, flags=0x01)))

s = Stream("status", "Heartbeat: 3.987 V, 81 %, streaming, 31.25 degC, 7 samples dropped, FIFO overflow flag.")
vectors.append(s.good(status()))

s = Stream("status_unknowns", "Battery and temperature unknown (reserved values), idle, unknown error bit 31 kept.")
vectors.append(s.good(status(mv=0xFFFF, pct=0xFF, state=0, temp=-32768, dropped=0, errors=0x80000001)))

s = Stream("commands", "Every host command of v1, tokens 1..8, then an opcode v1 does not know.")
for built in [command(1, 0x01), command(2, 0x02), command(3, 0x03), command(4, 0x04), command(5, 0x05, 104_000),
              command(6, 0x06, 16), command(7, 0x07, 500), command(8, 0x08, 3000), command(9, 0x7E)]:
    s.good(built)
vectors.append(s)

s = Stream("acknowledgements", "Acknowledgements: ok, unsupported (echoing an unknown opcode), busy.")
vectors.append(s.good(ack(1, 0x01, 0)).good(ack(9, 0x7E, 1)).good(ack(0xFFFF, 0x06, 3)))

s = Stream("longer_payload_is_accepted", "An acknowledgement with 2 bytes appended (a future field): accepted.")
vectors.append(s.good(ack(2, 0x02, 0, extra=b"\xee\xee")))

_, _, st = status()
bad_crc = frame(0x03, st, crc=0xDEADBEEF)
s = Stream("corrupt_crc", "A status frame carrying CRC 0xDEADBEEF, then an intact status frame.")
vectors.append(s.bad(bad_crc, "crc_failures", dropped="crc_mismatch", length=2 + len(st) + 4, received=0xDEADBEEF,
                     computed=crc32c(bytes([1, 3]) + st)).good(status()))

_, _, bp = sample_batch(50, ramp(50, 4))
flipped = bytearray(bp)
flipped[20] ^= 0x04
body = bytes([1, 2]) + bytes(flipped)
s = Stream("corrupt_payload_bit", "One payload bit of a batch flipped in transit (CRC of the original), then a good batch.")
vectors.append(s.bad(cobs(body + struct.pack("<I", crc32c(bytes([1, 2]) + bp))) + b"\x00", "crc_failures",
                     dropped="crc_mismatch", length=len(body) + 4, received=crc32c(bytes([1, 2]) + bp),
                     computed=crc32c(body)).good(sample_batch(54, ramp(54, 4))))

whole = sample_batch(200, ramp(200, 10))[0]
cut = 40
while code_walk_error(whole[:cut]) is None:
    cut += 1
position, code = code_walk_error(whole[:cut])
s = Stream("truncated", "The first %d bytes of a batch frame (the sender reset mid-frame and sent a delimiter), "
           "then a good status frame." % cut)
vectors.append(s.bad(whole[:cut] + b"\x00", "malformed_frames", dropped="invalid_encoding", position=position,
                     code=code).good(status()))

s = Stream("garbage_then_good", "Line noise 'Hello' ended by a delimiter, then a good acknowledgement.")
vectors.append(s.bad(b"Hello\x00", "malformed_frames", dropped="invalid_encoding", position=0, code=ord("H"))
               .good(ack(5, 0x08, 0)))

s = Stream("empty_frames", "Delimiters with nothing between them are idle fill: ignored, not counted.")
vectors.append(s.raw(b"\x00\x00\x00").good(status()).raw(b"\x00\x00"))

s = Stream("oversize", "%d bytes without a delimiter: one oversize report, skip to the next 0x00, then a good frame."
           % (MAX_ENCODED * 2))
vectors.append(s.bad(b"\x41" * (MAX_ENCODED * 2) + b"\x00", "oversize_frames", dropped="oversize").good(status()))

s = Stream("oversize_decoded", "1028 encoded bytes (within the wire limit) that decode to 1027 bytes > 1024.")
vectors.append(s.bad(b"\x02\x41" * 514 + b"\x00", "oversize_frames", dropped="oversize").good(ack(1, 1, 0)))

s = Stream("too_short", "A frame that decodes to 3 bytes, fewer than version + type + CRC.")
vectors.append(s.bad(b"\x04\x01\x02\x03\x00", "malformed_frames", dropped="too_short", length=3).good(ack(1, 1, 0)))

s = Stream("unknown_type", "An intact frame of type 0x7F (unknown to v1): skipped and counted; the next frame decodes.")
vectors.append(s.bad(frame(0x7F, b"\x01\x02\x03"), "unknown_packet_types", dropped="unknown_packet_type", type=0x7F,
                     length=9).good(ack(3, 1, 0)))

s = Stream("unsupported_version", "An intact frame of protocol version 2: dropped.")
vectors.append(s.bad(frame(0x11, b"\x01\x00\x01\x00", version=2), "malformed_frames", dropped="unsupported_version",
                     version=2).good(ack(3, 1, 0)))

s = Stream("malformed_payloads", "Intact frames whose payloads break their layout: short status, empty batch, "
           "batch shorter than its count, zero tick frequency, part name longer than 32 bytes.")
s.bad(frame(0x03, bytes(10)), "malformed_frames", dropped="malformed_payload", type=0x03, payload_length=10,
      defect="too_short", minimum_length=22)
s.bad(frame(0x02, struct.pack("<IQIBB", 1, 0, 1, 0, 0)), "malformed_frames", dropped="malformed_payload", type=0x02,
      payload_length=18, defect="empty_sample_batch")
s.bad(frame(0x02, struct.pack("<IQIBB", 1, 0, 1, 2, 0) + bytes(12)), "malformed_frames", dropped="malformed_payload",
      type=0x02, payload_length=30, defect="too_short", minimum_length=42)
s.bad(device_info(tick_hz=0)[0], "malformed_frames", dropped="malformed_payload", type=0x01, payload_length=41,
      defect="zero_tick_frequency")
s.bad(device_info(name=b"X" * 40)[0], "malformed_frames", dropped="malformed_payload", type=0x01, payload_length=74,
      defect="part_name_too_long")
vectors.append(s.good(status()))

s = Stream("sequence_gap", "Batches at 10 (5 samples), 15 (5), 30 (5): 10 samples lost before 30.")
vectors.append(s.good(sample_batch(10, ramp(10, 5))).good(sample_batch(15, ramp(15, 5)))
               .good(sample_batch(30, ramp(30, 5))))

s = Stream("sequence_wrap", "Sequence numbers wrap at 2^32 without loss, then a gap of 4 across zero.")
vectors.append(s.good(sample_batch(0xFFFFFFFE, ramp(0, 4))).good(sample_batch(2, ramp(2, 4)))
               .good(sample_batch(10, ramp(10, 2))))

s = Stream("sequence_restart", "The sequence jumps back (device reset): a restart, not a loss.")
vectors.append(s.good(sample_batch(5000, ramp(5000, 5))).good(sample_batch(0, ramp(0, 5))))

s = Stream("gap_behind_corrupt_batch", "A corrupt batch between two good ones: its samples count as lost.")
s.good(sample_batch(100, ramp(100, 5)))
_, _, mp = sample_batch(105, ramp(105, 5))
body_len = len(mp) + 6
s.bad(frame(0x02, mp, crc=crc32c(bytes([1, 2]) + mp) ^ 1), "crc_failures", dropped="crc_mismatch", length=body_len,
      received=crc32c(bytes([1, 2]) + mp) ^ 1, computed=crc32c(bytes([1, 2]) + mp))
vectors.append(s.good(sample_batch(110, ramp(110, 5))))

doc = {
    "protocol_version": VERSION,
    "description": "Golden frames of the Lumbar wire protocol (firmware-protocol/PROTOCOL.md). Feed `hex` to a fresh "
                   "decoder in chunks of any size; it must report `expect` in order and end with `counters`. "
                   "Dropped-frame `offset` is the stream position of the frame's first byte. `counters` are those of "
                   "PROTOCOL.md section 3 (`bytes`: bytes fed; `samples`: samples delivered in batches).",
    "crc": {"name": "CRC-32C", "width": 32, "poly": "0x1EDC6F41", "init": "0xFFFFFFFF", "refin": True, "refout": True,
            "xorout": "0xFFFFFFFF", "check": "0xE3069283"},
    "max_frame_length": MAX_FRAME,
    "max_encoded_frame_length": MAX_ENCODED,
    "vectors": [v.json() for v in vectors],
}
print(json.dumps(doc, indent=1))
