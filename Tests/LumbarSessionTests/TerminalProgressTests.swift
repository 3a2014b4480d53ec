#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LumbarReplay
import LumbarSession
import Testing

/// The replay's progress bar: its line as a pure function of the fraction, drawn only on a terminal,
/// and fed by bytes read for recordings and Sample CSV alike.
struct TerminalProgressTests {
    /// The expected line: `filled` cells of `#`, the rest `.`, then the percent text.
    static func bar(_ filled: Int, _ percent: String) -> String {
        "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 40 - filled) + "] " + percent + "%"
    }

    static let vectors: [(Double, String)] = [
        (0.0, bar(0, "  0")), (0.42, bar(16, " 42")), (0.999, bar(39, " 99")), (1.0, bar(40, "100")),
        (1.7, bar(40, "100")), (-0.2, bar(0, "  0")), (Double.nan, bar(0, "  0")),
    ]

    @Test("the bar line for a fraction: cells rounded down, percent right-aligned, out-of-range clamped",
          arguments: vectors)
    func lineForFraction(_ fraction: Double, _ expected: String) {
        #expect(TerminalProgress.line(fraction: fraction) == expected)
    }

    /// Everything readable from `fd` now (non-blocking).
    static func drain(_ fd: Int32) -> String {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("nothing is drawn when the descriptor is a pipe, not a terminal")
    func silentOnAPipe() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let bar = TerminalProgress(fd: fds[1])
        #expect(!bar.isTerminal)
        bar.draw(0.5)
        bar.clear()
        close(fds[1])
        #expect(Self.drain(fds[0]).isEmpty)
    }

    @Test("on a real pseudo-terminal the bar is drawn, then erased")
    func drawnOnATerminal() throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        try #require(openpty(&master, &slave, nil, nil, nil) == 0)
        defer {
            close(master)
            close(slave)
        }
        let bar = TerminalProgress(fd: slave)
        #expect(bar.isTerminal)
        bar.draw(0.5)
        #expect(bar.isShown)
        bar.clear()
        #expect(!bar.isShown)
        usleep(20_000)
        let shown = Self.drain(master)
        #expect(shown == TerminalProgress.line(fraction: 0.5) + "\r\u{1B}[K", "\(shown.debugDescription)")
    }

    @Test("a Sample CSV reports progress by bytes read, up to 1 at its end")
    func sampleCSVProgress() throws {
        var rows = "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n"
        for i in 0..<2000 { rows += "\(Double(i) * 0.01),0,0,1,0.5,0,0\n" }
        let path = RecordingTests.temporaryPath("progress.csv")
        try rows.write(toFile: path, atomically: true, encoding: .utf8)
        let input = try SessionInput(path: path)
        let pipeline = SessionPipeline()
        var out = EventCollector()
        var seen: [Double] = []
        try input.replay(into: pipeline, output: &out) { seen.append($0) }
        #expect(seen.count >= 1)
        #expect(seen == seen.sorted())
        #expect(seen.last == 1)
        var stepped: [Double] = []
        let again = try SessionInput(path: path)
        let stepping = SessionPipeline()
        while try again.step(into: stepping, output: &out) != nil { stepped.append(again.progress) }
        #expect(stepped.first.map { $0 > 0 && $0 < 0.01 } == true, "\(stepped.prefix(3))")
        #expect(stepped[999] > 0.4 && stepped[999] < 0.6)
    }
}
