import CLumbarProtocol
import LumbarCore
import LumbarProtocol

/// The C reference codec (firmware-protocol/c) seen through Swift values, so tests can compare it
/// with LumbarProtocol output for output.
enum CCodec {
    /// Encodes `packet` with `lp_encode`; nil if the C encoder refuses it.
    static func encode(_ packet: Packet) -> [UInt8]? {
        var cPacket = lp_packet()
        cPacket.type = packet.type.rawValue
        switch packet {
        case .deviceInfo(let info):
            var d = lp_device_info()
            d.protocol_version = info.protocolVersion
            d.firmware_major = info.firmwareVersion.major
            d.firmware_minor = info.firmwareVersion.minor
            d.firmware_patch = info.firmwareVersion.patch
            d.device_id = info.deviceID
            d.placement = info.placement.wireCode
            d.accel_full_scale_g = info.accelerometerFullScale
            d.gyro_full_scale_dps = info.gyroscopeFullScale
            d.accel_g_per_count = info.accelerometerSensitivity
            d.gyro_dps_per_count = info.gyroscopeSensitivity
            d.sample_rate_mhz = info.sampleRateMillihertz
            d.tick_hz = info.tickFrequency
            let name = Array(info.imuPartName.utf8.prefix(DeviceInfo.maximumPartNameLength))
            d.imu_part_name_len = UInt8(name.count)
            withUnsafeMutableBytes(of: &d.imu_part_name) { $0.copyBytes(from: name) }
            cPacket.as.device_info = d
        case .sampleBatch(let batch):
            var b = lp_sample_batch()
            b.sequence = batch.sequence
            b.timestamp = batch.timestamp
            b.sample_period = batch.samplePeriod
            b.count = UInt8(batch.samples.count)
            b.flags = batch.flags.rawValue
            withUnsafeMutableBytes(of: &b.samples) { raw in
                let samples = raw.bindMemory(to: lp_raw_sample.self)
                for (index, sample) in batch.samples.enumerated() {
                    samples[index].accel = (sample.accelerometer.x, sample.accelerometer.y, sample.accelerometer.z)
                    samples[index].gyro = (sample.gyroscope.x, sample.gyroscope.y, sample.gyroscope.z)
                }
            }
            cPacket.as.sample_batch = b
        case .status(let status):
            var s = lp_status()
            s.timestamp = status.timestamp
            s.battery_mv = status.batteryMillivolts ?? 0xFFFF
            s.battery_percent = status.batteryPercent ?? 0xFF
            s.state = status.isStreaming ? 1 : 0
            s.temperature_centi_c = status.temperatureCentidegrees ?? Int16.min
            s.samples_dropped = status.samplesDropped
            s.error_flags = status.errors.rawValue
            cPacket.as.status = s
        case .command(let command):
            var c = lp_command()
            c.token = command.token
            c.opcode = command.action.opcode
            switch command.action {
            case .setSampleRate(let millihertz): c.argument = millihertz
            case .setAccelerometerRange(let g): c.argument = UInt32(g)
            case .setGyroscopeRange(let degreesPerSecond): c.argument = UInt32(degreesPerSecond)
            case .identify(let milliseconds): c.argument = UInt32(milliseconds)
            default: c.argument = 0
            }
            cPacket.as.command = c
        case .acknowledgement(let ack):
            cPacket.as.ack = lp_ack(token: ack.token, opcode: ack.opcode, result: ack.result.code)
        }
        var out = [UInt8](repeating: 0, count: WireFormat.maximumEncodedFrameLength + 1)
        let length = lp_encode(&cPacket, &out, out.count)
        return length == 0 ? nil : Array(out[0..<length])
    }

    /// Feeds `stream` to a fresh C decoder in chunks of `chunkSize` bytes.
    static func decode(_ stream: [UInt8], chunkSize: Int) -> ([DecoderOutput], lp_counters) {
        var decoder = lp_decoder()
        lp_decoder_init(&decoder)
        var outputs: [DecoderOutput] = []
        var result = lp_result()
        var start = 0
        while start < stream.count {
            let end = min(stream.count, start + chunkSize)
            var position = start
            while position < end {
                var produced: Int32 = 0
                let consumed = stream[position..<end].withUnsafeBufferPointer {
                    lp_decoder_feed(&decoder, $0.baseAddress, $0.count, &result, &produced)
                }
                position += consumed
                if produced != 0 { outputs += self.outputs(of: result) }
            }
            start = end
        }
        return (outputs, decoder.counters)
    }

    /// What one C result means, as LumbarProtocol outputs.
    static func outputs(of r: lp_result) -> [DecoderOutput] {
        let offset = r.offset
        switch r.error {
        case LP_ERR_NONE:
            var outputs: [DecoderOutput] = []
            if r.sequence_event == LP_SEQ_GAP {
                let batch = r.packet.as.sample_batch
                outputs.append(
                    .samplesLost(
                        SequenceGap(
                            expected: r.expected_sequence,
                            received: batch.sequence,
                            lostSamples: r.lost_samples
                        )
                    )
                )
            } else if r.sequence_event == LP_SEQ_RESTART {
                outputs.append(
                    .sequenceRestarted(expected: r.expected_sequence, received: r.packet.as.sample_batch.sequence)
                )
            }
            outputs.append(.packet(packet(of: r.packet)))
            return outputs
        case LP_ERR_OVERSIZE:
            return [.dropped(.oversize(offset: offset, limit: WireFormat.maximumEncodedFrameLength))]
        case LP_ERR_INVALID_ENCODING:
            return [.dropped(.invalidEncoding(offset: offset, position: r.position, code: r.code))]
        case LP_ERR_TOO_SHORT:
            return [.dropped(.tooShort(offset: offset, length: r.length))]
        case LP_ERR_CRC_MISMATCH:
            return [
                .dropped(
                    .crcMismatch(offset: offset, length: r.length, received: r.crc_received, computed: r.crc_computed)
                )
            ]
        case LP_ERR_UNSUPPORTED_VERSION:
            return [.dropped(.unsupportedVersion(offset: offset, version: r.version))]
        case LP_ERR_UNKNOWN_TYPE:
            return [.dropped(.unknownPacketType(offset: offset, type: r.type, length: r.length))]
        default:
            let defect: PayloadDefect
            switch r.defect {
            case LP_DEFECT_EMPTY_SAMPLE_BATCH: defect = .emptySampleBatch
            case LP_DEFECT_ZERO_TICK_FREQUENCY: defect = .zeroTickFrequency
            case LP_DEFECT_PART_NAME_TOO_LONG:
                defect = .partNameTooLong(length: r.part_name_length)
            default: defect = .tooShort(minimumLength: r.minimum_length)
            }
            return [
                .dropped(
                    .malformedPayload(
                        offset: offset,
                        type: PacketType(rawValue: r.type) ?? .status,
                        payloadLength: r.payload_length,
                        defect: defect
                    )
                )
            ]
        }
    }

    static func packet(of p: lp_packet) -> Packet {
        switch p.type {
        case PacketType.deviceInfo.rawValue:
            var d = p.as.device_info
            let name = withUnsafeBytes(of: &d.imu_part_name) { Array($0.prefix(Int(d.imu_part_name_len))) }
            return .deviceInfo(
                DeviceInfo(
                    protocolVersion: d.protocol_version,
                    firmwareVersion: FirmwareVersion(d.firmware_major, d.firmware_minor, d.firmware_patch),
                    deviceID: d.device_id,
                    placement: SensorPlacement(wireCode: d.placement),
                    imuPartName: String(decoding: name, as: UTF8.self),
                    accelerometerFullScale: d.accel_full_scale_g,
                    gyroscopeFullScale: d.gyro_full_scale_dps,
                    accelerometerSensitivity: d.accel_g_per_count,
                    gyroscopeSensitivity: d.gyro_dps_per_count,
                    sampleRateMillihertz: d.sample_rate_mhz,
                    tickFrequency: d.tick_hz
                )
            )
        case PacketType.sampleBatch.rawValue:
            var b = p.as.sample_batch
            let samples = withUnsafeBytes(of: &b.samples) { raw in
                raw.bindMemory(to: lp_raw_sample.self).prefix(Int(b.count)).map {
                    RawImuSample(
                        accelerometer: RawVector3($0.accel.0, $0.accel.1, $0.accel.2),
                        gyroscope: RawVector3($0.gyro.0, $0.gyro.1, $0.gyro.2)
                    )
                }
            }
            return .sampleBatch(
                SampleBatch(
                    sequence: b.sequence,
                    timestamp: b.timestamp,
                    samplePeriod: b.sample_period,
                    flags: SampleBatch.Flags(rawValue: b.flags),
                    samples: samples
                )
            )
        case PacketType.status.rawValue:
            let s = p.as.status
            return .status(
                DeviceStatus(
                    timestamp: s.timestamp,
                    batteryMillivolts: s.battery_mv == 0xFFFF ? nil : s.battery_mv,
                    batteryPercent: s.battery_percent == 0xFF ? nil : s.battery_percent,
                    isStreaming: s.state & 1 != 0,
                    temperatureCentidegrees: s.temperature_centi_c == Int16.min ? nil : s.temperature_centi_c,
                    samplesDropped: s.samples_dropped,
                    errors: DeviceStatus.ErrorFlags(rawValue: s.error_flags)
                )
            )
        case PacketType.command.rawValue:
            let c = p.as.command
            let action: HostCommand.Action
            switch c.opcode {
            case 0x01: action = .startStreaming
            case 0x02: action = .stopStreaming
            case 0x03: action = .requestDeviceInfo
            case 0x04: action = .requestStatus
            case 0x05: action = .setSampleRate(millihertz: c.argument)
            case 0x06: action = .setAccelerometerRange(g: UInt16(truncatingIfNeeded: c.argument))
            case 0x07: action = .setGyroscopeRange(degreesPerSecond: UInt16(truncatingIfNeeded: c.argument))
            case 0x08: action = .identify(milliseconds: UInt16(truncatingIfNeeded: c.argument))
            default: action = .unknown(opcode: c.opcode)
            }
            return .command(HostCommand(token: c.token, action: action))
        default:
            let a = p.as.ack
            return .acknowledgement(Acknowledgement(token: a.token, opcode: a.opcode, result: .init(code: a.result)))
        }
    }

    /// C counters in the shape of LumbarProtocol's.
    static func counters(_ c: lp_counters) -> FrameDecoderCounters {
        var counters = FrameDecoderCounters()
        counters.bytes = c.bytes
        counters.frames = c.frames
        counters.crcFailures = c.crc_failures
        counters.oversizeFrames = c.oversize_frames
        counters.unknownPacketTypes = c.unknown_packet_types
        counters.malformedFrames = c.malformed_frames
        counters.sequenceGaps = c.sequence_gaps
        counters.lostSamples = c.lost_samples
        counters.sequenceRestarts = c.sequence_restarts
        counters.samples = c.samples
        return counters
    }
}
