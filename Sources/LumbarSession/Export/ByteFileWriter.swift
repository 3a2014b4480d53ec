import LumbarCore

/// A buffered writer of bytes to a file (or standard output for `-`), with allocation-free number
/// formatting for the per-sample exports (orientation CSV, OpenSense `.sto`): digits go straight into
/// a fixed buffer, two at a time from a table (about 10 ns per number instead of 50).
///
/// Numbers are written like `FixedDecimal.format` (fixed decimals, round half away from zero), so
/// exports are byte-for-byte reproducible. The first write error is kept and thrown by `close()`.
public final class ByteFileWriter {
    /// The path as given (`-` is standard output).
    public let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// `flushSize + slack` bytes; `count` of them are pending.
    private let buffer: UnsafeMutablePointer<UInt8>
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private var count = 0
    /// The first write error (thrown again by `close`); nothing more is written after it.
    @exclusivity(unchecked) public private(set) var failure: ExportError?
    /// Pending bytes that trigger a write.
    private static let flushSize = 1 << 16
    /// Room after `flushSize` for one more number or short text (the longest number is 32 bytes).
    private static let slack = 256

    /// Creates (truncates) `path`; `-` writes to standard output. A Lumbar recording is never truncated.
    ///
    /// - Throws: `ExportError` naming the file when it cannot be created or is a recording.
    public init(path: String) throws(ExportError) {
        self.path = path
        try OutputGuard.check(path)
        if path == "-" {
            fd = 1
            ownsDescriptor = false
        } else {
            switch FileDescriptorIO.openForWriting(path) {
            case .success(let fd): self.fd = fd
            case .failure(let e): throw ExportError(path: path, message: "cannot create: \(e)", cause: e)
            }
            ownsDescriptor = true
        }
        buffer = .allocate(capacity: Self.flushSize + Self.slack)
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { FileDescriptorIO.close(fd) }
    }

    /// Appends UTF-8 text.
    @inline(__always)
    public func write(_ text: String) {
        var t = text
        t.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while !rest.isEmpty {
            let n = min(rest.count, Self.flushSize + Self.slack - count)
            UnsafeMutableRawPointer(buffer + count).copyMemory(from: rest.baseAddress!, byteCount: n)
            count += n
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            flushIfFull()
        }
    }

    /// Appends one byte (e.g. a separator).
    @inline(__always)
    public func write(byte: UInt8) {
        buffer[count] = byte
        count += 1
        flushIfFull()
    }

    /// Appends `value` with exactly `decimals` decimals (0...9), as `FixedDecimal.format` would.
    @inline(__always)
    public func write(_ value: Double, decimals: Int) {
        guard value.isFinite else {
            write(FixedDecimal.format(value, decimals: decimals))
            return
        }
        let scale = Self.powersOfTen[decimals]
        let scaled = abs(value) * Double(scale)
        guard scaled < 9e18 else {
            write(FixedDecimal.format(value, decimals: decimals))
            return
        }
        // Round half away from zero like `rounded(.toNearestOrAwayFromZero)`, without the libm call:
        // below 2^52 the fraction `scaled - n` is exact; above, `scaled` is already an integer.
        var n = UInt64(scaled)
        if scaled < 4_503_599_627_370_496 && scaled - Double(n) >= 0.5 { n += 1 }
        if value < 0 && n != 0 {
            buffer[count] = UInt8(ascii: "-")
            count += 1
        }
        // Constant divisors for the exports' usual precisions: multiplies instead of a divide.
        switch decimals {
        case 7: appendFixed(n, unit: 10_000_000, decimals: 7)
        case 6: appendFixed(n, unit: 1_000_000, decimals: 6)
        default: appendFixed(n, unit: scale, decimals: decimals)
        }
        flushIfFull()
    }

    /// Appends `n / unit`, then (for `decimals` > 0) a point and `n % unit` in exactly `decimals` digits.
    @inline(__always)
    private func appendFixed(_ n: UInt64, unit: UInt64, decimals: Int) {
        let whole = n / unit
        appendDigits(whole)
        if decimals > 0 {
            buffer[count] = UInt8(ascii: ".")
            count += 1
            appendDigits(n &- whole &* unit, width: decimals)
        }
    }

    /// Appends an integer.
    @inline(__always)
    public func write(_ value: Int) {
        if value < 0 {
            buffer[count] = UInt8(ascii: "-")
            count += 1
        }
        appendDigits(UInt64(value.magnitude))
        flushIfFull()
    }

    /// Appends a line feed.
    @inline(__always)
    public func endLine() {
        write(byte: UInt8(ascii: "\n"))
    }

    /// Writes the buffered bytes out (keeps the first error for `close`).
    public func flush() {
        guard count > 0 else { return }
        if failure == nil,
            case .failure(let e) = FileDescriptorIO.writeAll(fd, UnsafeRawBufferPointer(start: buffer, count: count))
        {
            failure = ExportError(path: path, message: "write failed: \(e)", cause: e)
        }
        count = 0
    }

    /// Flushes and syncs the file.
    ///
    /// - Throws: the first write or sync error, naming the file.
    public func close() throws(ExportError) {
        flush()
        if ownsDescriptor, failure == nil, case .failure(let e) = FileDescriptorIO.sync(fd) {
            failure = ExportError(path: path, message: "sync failed: \(e)", cause: e)
        }
        if let failure { throw failure }
    }

    @inline(__always)
    private func flushIfFull() {
        if count >= Self.flushSize { flush() }
    }

    private static let powersOfTen: [UInt64] = (0...9).map { p in (0..<p).reduce(1) { r, _ in r * 10 } }

    /// "00", "01", ... "99": two digits per lookup.
    private static let digitPairs: [UInt8] = (0..<100).flatMap { [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)] }

    /// Appends the decimal digits of `value` (no leading zeros; "0" for zero).
    @inline(__always)
    private func appendDigits(_ value: UInt64) {
        var width = 1
        var power: UInt64 = 10
        while width < 20 && value >= power {
            width += 1
            power = power &* 10
        }
        appendDigits(value, width: width)
    }

    /// Appends exactly `width` decimal digits of `value` (1...20), zero-padded on the left.
    @inline(__always)
    private func appendDigits(_ value: UInt64, width: Int) {
        let start = count
        var end = start + width
        count = end
        var v = value
        Self.digitPairs.withUnsafeBufferPointer { pairs in
            while end - start >= 2 {
                let p = Int(v % 100) &* 2
                v /= 100
                end -= 2
                buffer[end] = pairs[p]
                buffer[end + 1] = pairs[p + 1]
            }
            if end > start { buffer[start] = UInt8(ascii: "0") &+ UInt8(v % 10) }
        }
    }
}
