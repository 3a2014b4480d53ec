/// A decoder of a family whose bytes carry their own time (x-IMU3, text lines): bytes in, outputs out.
/// The array conveniences come from here, so each decoder only implements the raw-buffer entry point.
public protocol SensorFamilyStreamDecoder {
    /// Decodes `bytes` and calls `body` with each output, in stream order.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, _ body: (SensorFamilyOutput) throws -> Void) rethrows
}

extension SensorFamilyStreamDecoder {
    /// Decodes `bytes` and calls `body` with each output, in stream order.
    public mutating func decode(_ bytes: [UInt8], _ body: (SensorFamilyOutput) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try decode($0, body) }
    }

    /// Decodes `bytes` and returns the outputs (convenient; allocates).
    public mutating func decode(_ bytes: [UInt8]) -> [SensorFamilyOutput] {
        var outputs: [SensorFamilyOutput] = []
        decode(bytes) { outputs.append($0) }
        return outputs
    }
}
