import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads what ALSA's `file` plugin wrote (format wav): mono 16-bit samples after the `data` chunk.
/// The test's own reader, so the tests need neither sox nor aplay.
struct WAVFile {
    var sampleRate: Int
    var samples: [Int16]

    /// nil when the file is missing or not a 16-bit PCM RIFF/WAVE file.
    init?(path: String) {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        guard bytes.count >= 44, tag(0) == "RIFF", tag(8) == "WAVE" else { return nil }
        var at = 12
        var rate = 0
        while at + 8 <= bytes.count {
            let size = u32(at + 4)
            if tag(at) == "fmt " {
                rate = u32(at + 12)
                guard bytes[at + 22] == 16 else { return nil }  // bits per sample
            } else if tag(at) == "data" {
                // The plugin may leave the size unset while open: take what is there.
                let end = size == 0 || at + 8 + size > bytes.count ? bytes.count : at + 8 + size
                let body = bytes[(at + 8)..<end]
                samples = stride(from: body.startIndex, to: body.endIndex - 1, by: 2).map {
                    Int16(bitPattern: UInt16(body[$0]) | UInt16(body[$0 + 1]) << 8)
                }
                sampleRate = rate
                return
            }
            at += 8 + size + (size & 1)
        }
        return nil
    }
}

/// Where `needle` best matches inside `haystack`, by normalised cross-correlation (1 = identical shape).
func bestMatch(of needle: ArraySlice<Int16>, in haystack: [Int16], from start: Int = 0) -> (offset: Int, correlation: Double) {
    let n = Array(needle).map(Double.init)
    let nNorm = n.reduce(0) { $0 + $1 * $1 }.squareRoot()
    var best = (offset: -1, correlation: -1.0)
    guard n.count <= haystack.count - start, nNorm > 0 else { return best }
    let h = haystack.map(Double.init)
    // Coarse-to-exact: clips are copied sample for sample, so test every offset where the first
    // loud sample of the needle lines up with a sample of the same value.
    let anchor = n.firstIndex { abs($0) > 1000 } ?? 0
    for offset in start...(h.count - n.count) where h[offset + anchor] == n[anchor] {
        var dot = 0.0
        var hNorm = 0.0
        for i in 0..<n.count {
            dot += n[i] * h[offset + i]
            hNorm += h[offset + i] * h[offset + i]
        }
        let c = hNorm > 0 ? dot / (nNorm * hNorm.squareRoot()) : 0
        if c > best.correlation { best = (offset, c) }
    }
    return best
}

/// A fresh scratch directory under /tmp, removed by `remove()`.
struct Scratch {
    let path: String
    init() {
        var template = Array("/tmp/lumbar-sound-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
