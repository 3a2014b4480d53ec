// The byte layout of each packet's payload (PROTOCOL.md, one table per packet). All fields little-endian.
// Receivers accept payloads longer than they know (fields are only ever appended) and reject shorter ones.

import LumbarCore

extension Packet {
    /// Appends this packet's payload (no version, type or CRC) to `bytes`.
    func appendPayload(to bytes: inout [UInt8]) {
        switch self {
        case .deviceInfo(let info):
            let name = Array(info.imuPartName.utf8.prefix(DeviceInfo.maximumPartNameLength))
            bytes.append(info.protocolVersion)
            bytes.append(info.firmwareVersion.major)
            bytes.append(info.firmwareVersion.minor)
            bytes.append(info.firmwareVersion.patch)
            bytes.appendLittleEndian(info.deviceID)
            bytes.append(info.placement.wireCode)
            bytes.appendLittleEndian(info.accelerometerFullScale)
            bytes.appendLittleEndian(info.gyroscopeFullScale)
            bytes.appendLittleEndian(info.accelerometerSensitivity.bitPattern)
            bytes.appendLittleEndian(info.gyroscopeSensitivity.bitPattern)
            bytes.appendLittleEndian(info.sampleRateMillihertz)
            bytes.appendLittleEndian(info.tickFrequency)
            bytes.append(UInt8(name.count))
            bytes.append(contentsOf: name)
        case .sampleBatch(let batch):
            precondition(
                batch.samples.count <= SampleBatch.maximumSampleCount,
                "FrameEncoder.encode: a SampleBatch holds at most \(SampleBatch.maximumSampleCount) samples"
            )
            bytes.appendLittleEndian(batch.sequence)
            bytes.appendLittleEndian(batch.timestamp)
            bytes.appendLittleEndian(batch.samplePeriod)
            bytes.append(UInt8(batch.samples.count))
            bytes.append(batch.flags.rawValue)
            for sample in batch.samples {
                bytes.appendLittleEndian(sample.accelerometer.x)
                bytes.appendLittleEndian(sample.accelerometer.y)
                bytes.appendLittleEndian(sample.accelerometer.z)
                bytes.appendLittleEndian(sample.gyroscope.x)
                bytes.appendLittleEndian(sample.gyroscope.y)
                bytes.appendLittleEndian(sample.gyroscope.z)
            }
        case .status(let status):
            bytes.appendLittleEndian(status.timestamp)
            bytes.appendLittleEndian(status.batteryMillivolts ?? 0xFFFF)
            bytes.append(status.batteryPercent ?? 0xFF)
            bytes.append(status.isStreaming ? 1 : 0)
            bytes.appendLittleEndian(status.temperatureCentidegrees ?? Int16.min)
            bytes.appendLittleEndian(status.samplesDropped)
            bytes.appendLittleEndian(status.errors.rawValue)
        case .command(let command):
            bytes.appendLittleEndian(command.token)
            bytes.append(command.action.opcode)
            switch command.action {
            case .startStreaming, .stopStreaming, .requestDeviceInfo, .requestStatus, .unknown: break
            case .setSampleRate(let millihertz): bytes.appendLittleEndian(millihertz)
            case .setAccelerometerRange(let g): bytes.appendLittleEndian(g)
            case .setGyroscopeRange(let degreesPerSecond): bytes.appendLittleEndian(degreesPerSecond)
            case .identify(let milliseconds): bytes.appendLittleEndian(milliseconds)
            }
        case .acknowledgement(let ack):
            bytes.appendLittleEndian(ack.token)
            bytes.append(ack.opcode)
            bytes.append(ack.result.code)
        }
    }

    /// Parses the payload of a frame of type `type`. `samples` is the decoder's reusable sample storage.
    static func parse(
        type: PacketType,
        payload: UnsafeRawBufferPointer,
        samples: inout [RawImuSample]
    ) -> Result<Packet, PayloadDefect> {
        let reader = PayloadReader(payload)
        switch type {
        case .deviceInfo:
            guard reader.count >= 34 else { return .failure(.tooShort(minimumLength: 34)) }
            let nameLength = Int(reader.u8(33))
            guard nameLength <= DeviceInfo.maximumPartNameLength else {
                return .failure(.partNameTooLong(length: nameLength))
            }
            guard reader.count >= 34 + nameLength else { return .failure(.tooShort(minimumLength: 34 + nameLength)) }
            let tickFrequency = reader.u32(29)
            guard tickFrequency != 0 else { return .failure(.zeroTickFrequency) }
            let name = String(
                decoding: UnsafeRawBufferPointer(rebasing: payload[34..<(34 + nameLength)]),
                as: UTF8.self
            )
            return .success(
                .deviceInfo(
                    DeviceInfo(
                        protocolVersion: reader.u8(0),
                        firmwareVersion: FirmwareVersion(reader.u8(1), reader.u8(2), reader.u8(3)),
                        deviceID: reader.u64(4),
                        placement: SensorPlacement(wireCode: reader.u8(12)),
                        imuPartName: name,
                        accelerometerFullScale: reader.u16(13),
                        gyroscopeFullScale: reader.u16(15),
                        accelerometerSensitivity: Float(bitPattern: reader.u32(17)),
                        gyroscopeSensitivity: Float(bitPattern: reader.u32(21)),
                        sampleRateMillihertz: reader.u32(25),
                        tickFrequency: tickFrequency
                    )
                )
            )
        case .sampleBatch:
            let header = SampleBatch.headerLength
            guard reader.count >= header else { return .failure(.tooShort(minimumLength: header)) }
            let count = Int(reader.u8(16))
            guard count > 0 else { return .failure(.emptySampleBatch) }
            let needed = header + count * RawImuSample.wireLength
            guard reader.count >= needed else { return .failure(.tooShort(minimumLength: needed)) }
            samples.removeAll(keepingCapacity: true)
            if RawImuSample.matchesWireLayout {
                // The wire layout is the in-memory layout: one copy for the whole batch.
                samples.append(contentsOf: repeatElement(RawImuSample.zero, count: count))
                samples.withUnsafeMutableBytes { destination in
                    destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: payload[header..<needed]))
                }
            } else {
                var offset = header
                for _ in 0..<count {
                    samples.append(
                        RawImuSample(
                            accelerometer: RawVector3(
                                reader.i16(offset),
                                reader.i16(offset + 2),
                                reader.i16(offset + 4)
                            ),
                            gyroscope: RawVector3(
                                reader.i16(offset + 6),
                                reader.i16(offset + 8),
                                reader.i16(offset + 10)
                            )
                        )
                    )
                    offset += RawImuSample.wireLength
                }
            }
            return .success(
                .sampleBatch(
                    SampleBatch(
                        sequence: reader.u32(0),
                        timestamp: reader.u64(4),
                        samplePeriod: reader.u32(12),
                        flags: SampleBatch.Flags(rawValue: reader.u8(17)),
                        samples: samples
                    )
                )
            )
        case .status:
            guard reader.count >= 22 else { return .failure(.tooShort(minimumLength: 22)) }
            let millivolts = reader.u16(8)
            let percent = reader.u8(10)
            let temperature = reader.i16(12)
            return .success(
                .status(
                    DeviceStatus(
                        timestamp: reader.u64(0),
                        batteryMillivolts: millivolts == 0xFFFF ? nil : millivolts,
                        batteryPercent: percent == 0xFF ? nil : percent,
                        isStreaming: reader.u8(11) & 1 != 0,
                        temperatureCentidegrees: temperature == Int16.min ? nil : temperature,
                        samplesDropped: reader.u32(14),
                        errors: DeviceStatus.ErrorFlags(rawValue: reader.u32(18))
                    )
                )
            )
        case .command:
            guard reader.count >= 3 else { return .failure(.tooShort(minimumLength: 3)) }
            let opcode = reader.u8(2)
            let argumentLength: Int
            switch opcode {
            case 0x05: argumentLength = 4
            case 0x06, 0x07, 0x08: argumentLength = 2
            default: argumentLength = 0
            }
            guard reader.count >= 3 + argumentLength else {
                return .failure(.tooShort(minimumLength: 3 + argumentLength))
            }
            let action: HostCommand.Action
            switch opcode {
            case 0x01: action = .startStreaming
            case 0x02: action = .stopStreaming
            case 0x03: action = .requestDeviceInfo
            case 0x04: action = .requestStatus
            case 0x05: action = .setSampleRate(millihertz: reader.u32(3))
            case 0x06: action = .setAccelerometerRange(g: reader.u16(3))
            case 0x07: action = .setGyroscopeRange(degreesPerSecond: reader.u16(3))
            case 0x08: action = .identify(milliseconds: reader.u16(3))
            default: action = .unknown(opcode: opcode)
            }
            return .success(.command(HostCommand(token: reader.u16(0), action: action)))
        case .acknowledgement:
            guard reader.count >= 4 else { return .failure(.tooShort(minimumLength: 4)) }
            return .success(
                .acknowledgement(
                    Acknowledgement(token: reader.u16(0), opcode: reader.u8(2), result: .init(code: reader.u8(3)))
                )
            )
        }
    }
}

/// Little-endian loads from a payload whose length the caller has already checked.
private struct PayloadReader {
    let bytes: UnsafeRawBufferPointer
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
    var count: Int { bytes.count }
    func u8(_ offset: Int) -> UInt8 { bytes[offset] }
    func u16(_ offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    func i16(_ offset: Int) -> Int16 {
        Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self))
    }
    func u32(_ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    func u64(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}

extension [UInt8] {
    /// Appends `value` in little-endian byte order.
    @inline(__always)
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var shift = 0
        while shift < T.bitWidth {
            append(UInt8(truncatingIfNeeded: value >> shift))
            shift += 8
        }
    }
}

extension RawImuSample {
    /// All counts zero.
    static let zero = RawImuSample(accelerometer: RawVector3(0, 0, 0), gyroscope: RawVector3(0, 0, 0))

    /// True on little-endian hosts, where six packed Int16 are byte for byte the 12-byte wire form.
    static let matchesWireLayout =
        1.littleEndian == 1 && MemoryLayout<RawImuSample>.stride == wireLength
        && MemoryLayout<RawImuSample>.offset(of: \.gyroscope) == 6 && MemoryLayout<RawVector3>.offset(of: \.z) == 4
}
