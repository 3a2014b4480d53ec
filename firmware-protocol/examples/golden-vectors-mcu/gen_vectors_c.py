#!/usr/bin/env python3
"""Turns vectors/vectors.json into a C table an MCU can check its codec against (golden_vectors_data.h).

For every vector: the byte stream, the events a receiver must report in order, and the counters. A
delivered packet is checked by re-encoding what the MCU decoded and comparing it byte for byte with the
frame that the independent generator (vectors/generate.py) writes for the packet's *expected* fields:
equal bytes prove both that the MCU decoded every field right and that its encoder writes what the spec
says. Dropped frames are checked by kind, stream offset and evidence; sequence gaps and restarts by their
numbers. Usage: gen_vectors_c.py vectors.json > golden_vectors_data.h
"""
import contextlib
import io
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "vectors"))
with contextlib.redirect_stdout(io.StringIO()):  # generate.py prints vectors.json when it runs
    import generate as g  # noqa: E402  (the spec's independent encoder)

ERRORS = {"oversize": 1, "invalid_encoding": 2, "too_short": 3, "crc_mismatch": 4, "unsupported_version": 5,
          "unknown_packet_type": 6, "malformed_payload": 7}
DEFECTS = {"too_short": 1, "empty_sample_batch": 2, "zero_tick_frequency": 3, "part_name_too_long": 4}
TYPES = {"device_info": 0x01, "sample_batch": 0x02, "status": 0x03, "command": 0x10, "acknowledgement": 0x11}
PLACEMENT_CODES = {name: code for code, name in g.PLACEMENTS.items()}
KIND_GAP, KIND_RESTART = 0x40, 0x41
COUNTERS = ["frames", "crc_failures", "oversize_frames", "unknown_packet_types", "malformed_frames",
            "sequence_gaps", "lost_samples", "sequence_restarts", "samples"]


def canonical_frame(e):
    """The generator's frame for the expected fields (unknown placement codes and reserved state bits read
    as the spec says a v1 receiver must: unassigned, 0)."""
    kind = e["packet"]
    if kind == "device_info":
        return g.device_info(device_id=int(e["device_id"], 16), placement=PLACEMENT_CODES[e["placement"]],
                             name=e["imu_part_name"].encode(), tick_hz=e["tick_hz"],
                             fw=tuple(int(x) for x in e["firmware_version"].split(".")),
                             accel_fs=e["accelerometer_full_scale_g"], gyro_fs=e["gyroscope_full_scale_dps"],
                             accel_sens=e["accelerometer_g_per_count"], gyro_sens=e["gyroscope_dps_per_count"],
                             rate_mhz=e["sample_rate_mhz"])[0]
    if kind == "sample_batch":
        return g.sample_batch(e["sequence"], [tuple(s) for s in e["samples"]], timestamp=e["timestamp"],
                              period=e["sample_period"], flags=e["flags"])[0]
    if kind == "status":
        unknown = lambda v, sentinel: sentinel if v is None else v  # noqa: E731
        return g.status(timestamp=e["timestamp"], mv=unknown(e["battery_mv"], 0xFFFF),
                        pct=unknown(e["battery_percent"], 0xFF), state=1 if e["streaming"] else 0,
                        temp=unknown(e["temperature_centi_c"], -32768), dropped=e["samples_dropped"],
                        errors=e["error_flags"])[0]
    if kind == "command":
        return g.command(e["token"], e["opcode"], e["argument"])[0]
    if kind == "acknowledgement":
        return g.ack(e["token"], e["opcode"], e["result"])[0]
    raise SystemExit("gen_vectors_c: unknown packet kind %r" % kind)


def event_row(e, frames):
    """(kind, offset, a, b, c, d, frame_at, frame_len) for one expected event."""
    if "packet" in e:
        data = canonical_frame(e)
        at = len(frames)
        frames += data
        return (0x80 | TYPES[e["packet"]], 0, 0, 0, 0, 0, at, len(data))
    if "samples_lost" in e:
        return (KIND_GAP, 0, e["expected"], e["received"], 0, 0, 0, 0)
    if "sequence_restarted" in e:
        return (KIND_RESTART, 0, e["expected"], e["received"], 0, 0, 0, 0)
    kind = e["dropped"]
    ev = {"oversize": (), "invalid_encoding": ("position", "code"), "too_short": ("length",),
          "crc_mismatch": ("length", "received", "computed"), "unsupported_version": ("version",),
          "unknown_packet_type": ("type", "length"),
          "malformed_payload": ("type", "payload_length", "defect", "minimum_length")}[kind]
    values = []
    for field in ev:
        v = e.get(field, 0)
        values.append(DEFECTS[v] if field == "defect" else v)
    values += [0] * (4 - len(values))
    return (ERRORS[kind], e["offset"], *values, 0, 0)


def main():
    doc = json.load(open(sys.argv[1]))
    stream_bytes, frames, events, vectors = bytearray(), bytearray(), [], []
    for v in doc["vectors"]:
        data = bytes.fromhex(v["hex"])
        first_event = len(events)
        for e in v["expect"]:
            events.append(event_row(e, frames))
        vectors.append((v["name"], len(stream_bytes), len(data), first_event, len(events) - first_event,
                        [v["counters"][c] for c in COUNTERS]))
        stream_bytes += data
    blob = bytes(stream_bytes) + bytes(frames)
    if len(blob) > 60000:
        raise SystemExit("gen_vectors_c: %d bytes do not fit the 16-bit offsets" % len(blob))
    base = len(stream_bytes)
    out = ["/* Generated by gen_vectors_c.py from vectors/vectors.json: do not edit. */",
           "#define GV_VECTOR_COUNT %d" % len(vectors), "#define GV_EVENT_COUNT %d" % len(events),
           "#define GV_BYTE_COUNT %d" % len(blob), "",
           "static const uint8_t gv_bytes[GV_BYTE_COUNT] GV_FLASH = {"]
    for i in range(0, len(blob), 24):
        out.append("    " + ", ".join("0x%02x" % b for b in blob[i:i + 24]) + ",")
    out += ["};", "", "static const gv_event gv_events[GV_EVENT_COUNT] GV_FLASH = {"]
    for (kind, offset, a, b, c, d, at, n) in events:
        out.append("    {0x%02x, %uu, %uu, %uu, %uu, %uu, %u, %u}," %
                   (kind, offset, a, b, c, d, base + at if n else 0, n))
    out += ["};", "", "static const gv_vector gv_vectors[GV_VECTOR_COUNT] GV_FLASH = {"]
    for (name, at, n, first, count, counters) in vectors:
        out.append('    {"%s", %u, %u, %u, %u, {%s}},' % (name, at, n, first, count,
                                                       ", ".join("%uu" % c for c in counters)))
    out.append("};")
    print("\n".join(out))


if __name__ == "__main__":
    main()
