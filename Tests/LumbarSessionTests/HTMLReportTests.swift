import Foundation
import LumbarSession
import Testing

/// The HTML report rendered by a real headless Chromium (Debian's `chromium`; .ci/run installs it).
struct HTMLReportTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test("the report renders offline in Chromium with the summary and one plot per rep, faults marked",
          .enabled(if: chromium != nil, "chromium is not installed (apt-get install -y chromium)"))
    func rendersInHeadlessChromium() throws {
        let dir = RecordingTests.temporaryPath("html")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let html = dir + "/report.html"
        let (exporter, _) = try ReplayTests.replay(
            "\(ReplayTests.root)/recordings/fatigue-back-kick.lrec", .init(html: html))
        let source = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!source.contains("http://") || !source.contains("src=\"http"), "no network resources")
        #expect(!source.contains("<script"), "no scripts")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromium!)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(dir)/profile",
            "--dump-dom", "file://" + html,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(dom.contains("<section id=\"summary\">"))
        let reps = dom.components(separatedBy: "<section class=\"rep").count - 1
        #expect(reps == exporter.reps.count && reps == 10, "\(reps) rep sections")
        #expect(dom.components(separatedBy: "class=\"threshold\"").count - 1 == reps, "a threshold line per plot")
        #expect(dom.components(separatedBy: "<polyline class=\"lumbar\"").count - 1 == reps)
        #expect(dom.components(separatedBy: "<polyline class=\"leg\"").count - 1 == reps)
        let faulted = exporter.reps.filter { !$0.faults.isEmpty }
        #expect(!faulted.isEmpty)
        for r in faulted {
            #expect(dom.contains("id=\"rep-\(r.rep)\" data-faults=\"\(r.faults.map(\.rawValue).joined(separator: ";"))\""))
        }
        #expect(dom.components(separatedBy: "class=\"alert\"").count - 1
                == exporter.events.filter { $0.type == "lumbar_moved" }.count)
        #expect(dom.contains("id=\"summary-reps\">10 (left 0, right 10)"))
    }
}
