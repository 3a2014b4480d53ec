import LumbarCore

/// A buffered writer of bytes to a file (or standard output for `-`), with allocation-free number
/// formatting for the per-sample exports (orientation CSV, OpenSense `.sto`).
///
/// Numbers are written like `FixedDecimal.format` (fixed decimals, round half away from zero), so
/// exports are byte-for-byte reproducible. The first write error is kept and thrown by `close()`.
public final class ByteFileWriter {
    /// The path as given (`-` is standard output).
    public let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var failure: ExportError?
    private static let flushSize = 1 << 16

    /// Creates (truncates) `path`; `-` writes to standard output.
    ///
    /// - Throws: `ExportError` naming the file when it cannot be created.
    public init(path: String) throws(ExportError) {
        self.path = path
        if path == "-" {
            fd = 1
            ownsDescriptor = false
        } else {
            switch FileDescriptorIO.openForWriting(path) {
            case .success(let fd): self.fd = fd
            case .failure(let e): throw ExportError(path: path, message: "cannot create: \(e)")
            }
            ownsDescriptor = true
        }
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    deinit {
        if ownsDescriptor { FileDescriptorIO.close(fd) }
    }

    /// Appends UTF-8 text.
    @inline(__always)
    public func write(_ text: String) {
        var t = text
        t.withUTF8 { buffer.append(contentsOf: $0) }
        flushIfFull()
    }

    /// Appends one byte (e.g. `,` or `\n`).
    @inline(__always)
    public func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Appends `value` with exactly `decimals` decimals (0...9), `nan`/`inf` when not finite.
    @inline(__always)
    public func write(_ value: Double, decimals: Int) {
        guard value.isFinite else {
            write(FixedDecimal.format(value, decimals: decimals))
            return
        }
        let scale = Self.powersOfTen[decimals]
        let scaled = (abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else {
            write(FixedDecimal.format(value, decimals: decimals))
            return
        }
        let n = UInt64(scaled)
        if value < 0 && n != 0 { buffer.append(UInt8(ascii: "-")) }
        appendDigits(n / scale, minimumDigits: 1)
        if decimals > 0 {
            buffer.append(UInt8(ascii: "."))
            appendDigits(n % scale, minimumDigits: decimals)
        }
    }

    /// Appends an integer.
    @inline(__always)
    public func write(_ value: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude.toUInt64, minimumDigits: 1)
    }

    /// Ends a row: appends `\n` and writes the buffer out when it is large.
    @inline(__always)
    public func endLine() {
        buffer.append(UInt8(ascii: "\n"))
        flushIfFull()
    }

    /// Writes what is buffered.
    public func flush() {
        guard !buffer.isEmpty else { return }
        if failure == nil, case .failure(let e) = buffer.withUnsafeBytes({ FileDescriptorIO.writeAll(fd, $0) }) {
            failure = ExportError(path: path, message: "write failed: \(e)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file.
    ///
    /// - Throws: the first write error.
    public func close() throws(ExportError) {
        flush()
        if ownsDescriptor, failure == nil, case .failure(let e) = FileDescriptorIO.sync(fd) {
            failure = ExportError(path: path, message: "sync failed: \(e)")
        }
        if let failure { throw failure }
    }

    @inline(__always)
    private func flushIfFull() {
        if buffer.count >= Self.flushSize { flush() }
    }

    private static let powersOfTen: [UInt64] = (0...9).map { p in (0..<p).reduce(1) { r, _ in r * 10 } }

    @inline(__always)
    private func appendDigits(_ value: UInt64, minimumDigits: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 24 digits as bytes, filled from the end
        var v = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                count += 1
                d[24 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0 && count < 24
            while count < minimumDigits && count < 24 {
                count += 1
                d[24 - count] = UInt8(ascii: "0")
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(24 - count)..<24]))
        }
    }
}

extension UInt {
    fileprivate var toUInt64: UInt64 { UInt64(self) }
}
