// swift-tools-version: 6.1
// Lumbar: lower-back biofeedback for hip-extension exercises from wearable IMUs.
// The target graph is the architecture: dependencies point inward only
// (lumbar -> Feedback/IO/Session -> Motion -> Fusion -> Core). See README.md, "Architecture".
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode (strict concurrency) and explicit existentials.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    // No `unsafeFlags` on any target: SwiftPM refuses a versioned dependency whose targets carry them, so
    // the library products could not be used by another package (`make consumer-check` proves they can).
    // The per-sample hot path that crosses modules is `@inlinable` instead (see README, "Performance").
]

let package = Package(
    name: "Lumbar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lumbar", targets: ["lumbar"]),
        .library(name: "LumbarCore", targets: ["LumbarCore"]),
        .library(name: "LumbarProtocol", targets: ["LumbarProtocol"]),
        .library(name: "LumbarFusion", targets: ["LumbarFusion"]),
        .library(name: "LumbarMotion", targets: ["LumbarMotion"]),
        .library(name: "LumbarFeedback", targets: ["LumbarFeedback"]),
        .library(name: "LumbarSound", targets: ["LumbarSound"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "LumbarCore", swiftSettings: strictSettings),
        .target(name: "LumbarProtocol", dependencies: ["LumbarCore"], swiftSettings: strictSettings),
        // The firmware's reference C99 codec, built here so the tests cross-check it against LumbarProtocol.
        // Its warnings are errors in `make protocol-c` (C99, -Wall -Wextra -pedantic -Werror, run by CI).
        .target(name: "CLumbarProtocol", path: "firmware-protocol/c"),
        .target(name: "LumbarFusion", dependencies: ["LumbarCore"], swiftSettings: strictSettings),
        // Joinable named OS threads, the one thread primitive of every module that blocks (see README, "Concurrency").
        .target(name: "LumbarThreads", swiftSettings: strictSettings),
        // The device session state machine (ports, handshake, identification, stalls): pure, no I/O.
        .target(name: "LumbarDevice", dependencies: ["LumbarCore", "LumbarProtocol"], swiftSettings: strictSettings),
        .target(name: "LumbarMotion", dependencies: ["LumbarCore", "LumbarFusion"], swiftSettings: strictSettings),
        .target(
            name: "LumbarSession",
            dependencies: ["LumbarCore", "LumbarProtocol", "LumbarFusion", "LumbarMotion", "LumbarThreads"],
            swiftSettings: strictSettings
        ),
        // The replay on two or three threads: a separate driver of LumbarSession's pipeline stages (threads
        // from LumbarIO), byte-identical to the serial replay.
        .target(
            name: "LumbarReplay", dependencies: ["LumbarCore", "LumbarProtocol", "LumbarFusion", "LumbarSession", "LumbarThreads"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LumbarRecordings", dependencies: ["LumbarCore", "LumbarProtocol", "LumbarSession", "LumbarSim"],
            swiftSettings: strictSettings
        ),
        .target(name: "LumbarSim", dependencies: ["LumbarCore", "LumbarProtocol"], swiftSettings: strictSettings),
        .executableTarget(
            name: "SimBenchmark", dependencies: ["LumbarCore", "LumbarProtocol", "LumbarSim"],
            path: "Benchmarks/SimBenchmark", swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CLibUSB",
            path: "Sources/CLibUSB",
            pkgConfig: "libusb-1.0",
            providers: [.apt(["libusb-1.0-0-dev"])]
        ),
        // QR codes of the dashboard's access URL (with its token), printed in the terminal for a phone to scan.
        .systemLibrary(
            name: "CQREncode",
            path: "Sources/CQREncode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        .target(
            name: "LumbarIO",
            dependencies: [
                "LumbarCore", "LumbarProtocol", "LumbarDevice", "LumbarThreads", "CLibUSB",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LumbarFeedback",
            dependencies: [
                "LumbarCore", "LumbarProtocol", "LumbarMotion", "LumbarSession", "CQREncode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // HTTPS for the dashboard (--tls-cert/--tls-key): Hummingbird's TLS child channel over swift-nio-ssl.
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(name: "CAlsa", path: "Sources/CAlsa", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(
            name: "CEspeakNG", path: "Sources/CEspeakNG", pkgConfig: "espeak-ng",
            providers: [.apt(["libespeak-ng-dev", "espeak-ng-data"])]
        ),
        // Spoken and beeped cues on the machine's own audio (ALSA), speech rendered at start-up (espeak-ng).
        .target(
            name: "LumbarSound",
            dependencies: ["LumbarCore", "LumbarSession", "LumbarIO", "LumbarThreads", "CAlsa", "CEspeakNG"],
            swiftSettings: strictSettings
        ),
        // `make bench-sound`: alert -> ALSA latency over a replayed session, next to the dashboard's.
        .executableTarget(
            name: "SoundBench", dependencies: ["LumbarCore", "LumbarFeedback", "LumbarIO", "LumbarSession", "LumbarSound"],
            path: "Benchmarks/sound", swiftSettings: strictSettings
        ),
        // Serves the dashboard from a scripted session (no sensors): for the browser test and for trying it out.
        .executableTarget(
            name: "DashboardDemo",
            dependencies: [
                "LumbarCore", "LumbarMotion", "LumbarFeedback",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The simulator behind emulated sensors (`lumbar simulate`, `make bench-live`).
        .target(
            name: "LumbarSimDevices", dependencies: ["LumbarCore", "LumbarIO", "LumbarProtocol", "LumbarSim"],
            swiftSettings: strictSettings
        ),
        // The session database (issue 18): one schema, versioned migrations, a writer thread off the live path,
        // history and progress reports. SQLite through GRDB by default, PostgreSQL through postgres-nio for a clinic.
        .target(
            name: "LumbarStore",
            dependencies: ["LumbarCore", "LumbarSession", "LumbarIO", "LumbarThreads", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "lumbar",
            dependencies: [
                "LumbarStore",
                "LumbarCore", "LumbarProtocol", "LumbarFusion", "LumbarMotion", "LumbarSession", "LumbarSim",
                "LumbarIO", "LumbarDevice", "LumbarRecordings", "LumbarFeedback", "LumbarSimDevices", "LumbarReplay", "LumbarSound",
                "LumbarThreads",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ProtocolBenchmarks",
            dependencies: ["LumbarProtocol", "LumbarCore", "LumbarSim"],
            path: "Benchmarks/ProtocolBenchmarks",
            swiftSettings: strictSettings
        ),
        // Emulates and decodes sensor-family streams for the vendor referees (`make referee-ximu3`).
        .executableTarget(
            name: "SensorFamilyTool", dependencies: ["LumbarCore", "LumbarProtocol", "LumbarSession", "LumbarSim"],
            path: "Tools/SensorFamilyTool", swiftSettings: strictSettings
        ),
        // libFuzzer target for both frame decoders (`make fuzz`); links without libFuzzer too (weak driver symbol).
        .target(name: "CFuzzShim", path: "Fuzz/CFuzzShim"),
        // The fuzz targets' shared main: `--write-seeds`, the libFuzzer run, input-chosen chunking.
        .target(name: "FuzzSupport", dependencies: ["CFuzzShim"], path: "Fuzz/FuzzSupport", swiftSettings: strictSettings),
        .executableTarget(
            name: "ProtocolFuzzer",
            dependencies: ["LumbarProtocol", "CLumbarProtocol", "FuzzSupport"],
            path: "Fuzz/ProtocolFuzzer",
            swiftSettings: strictSettings
        ),
        // libFuzzer target for the recording reader (`make fuzz`): damage, resynchronisation, every byte accounted for.
        .executableTarget(
            name: "RecordingFuzzer",
            dependencies: ["LumbarProtocol", "LumbarSession", "FuzzSupport"],
            path: "Fuzz/RecordingFuzzer",
            swiftSettings: strictSettings
        ),
        // `make bench-live`'s driver: `lumbar live` on pseudo-terminals, latency, CPU and memory.
        .executableTarget(
            name: "lumbar-live-bench",
            dependencies: [
                "LumbarCore", "LumbarIO", "LumbarProtocol", "LumbarSim", "LumbarSimDevices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/live", swiftSettings: strictSettings
        ),
        // `make bench-store`'s driver: cost per stored rep (SQLite, PostgreSQL on a throwaway server), then
        // lumbar-live-bench's alert latency with storing off, on SQLite and on PostgreSQL.
        .executableTarget(
            name: "lumbar-store-bench",
            dependencies: [
                "LumbarCore", "LumbarStore", "ThrowawayPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/store", swiftSettings: strictSettings
        ),
        // `make bench-replay`'s driver: `lumbar export` timed, on 1, 2 or 3 replay threads (Benchmarks/replay/run).
        .executableTarget(
            name: "lumbar-replay-bench",
            dependencies: [
                "LumbarCore", "LumbarSession", "LumbarReplay",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/replay/ReplayBenchmark", swiftSettings: strictSettings
        ),
        // libFuzzer target for the sensor-family decoders (`make fuzz`): chunking invariance, every byte counted.
        .executableTarget(
            name: "SensorFamilyFuzzer",
            dependencies: ["LumbarProtocol", "LumbarCore", "LumbarSim", "FuzzSupport"],
            path: "Fuzz/SensorFamilyFuzzer",
            swiftSettings: strictSettings
        ),
        .target(name: "CMallocCounter", path: "Benchmarks/fusion/CMallocCounter"),
        .target(
            name: "BroadBenchmark", dependencies: ["LumbarCore", "LumbarSession"], path: "Benchmarks/fusion/BroadBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "lumbar-fusion-bench",
            dependencies: ["LumbarCore", "LumbarFusion", "BroadBenchmark", "CMallocCounter"],
            path: "Benchmarks/fusion/FusionBenchmark", swiftSettings: strictSettings
        ),
        .testTarget(name: "LumbarCoreTests", dependencies: ["LumbarCore"], swiftSettings: strictSettings),
        // The commands' options parsed in-process (`@testable import lumbar`): typed values, groups, errors.
        .testTarget(
            name: "LumbarCLITests",
            dependencies: [
                "lumbar", "LumbarCore", "LumbarDevice", "LumbarFeedback", "LumbarIO", "LumbarMotion",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LumbarIOTests", dependencies: ["LumbarIO", "LumbarDevice", "LumbarCore", "LumbarProtocol", "LumbarThreads"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LumbarDeviceTests", dependencies: ["LumbarDevice", "LumbarCore", "LumbarProtocol", "LumbarIO"],
            swiftSettings: strictSettings
        ),
        // Runs the real `lumbar` executable (built by `swift build --build-tests`) against pseudo-terminals.
        .testTarget(
            name: "LumbarE2ETests", dependencies: ["LoopbackSocket", "LumbarStore", "ThrowawayPostgres"], swiftSettings: strictSettings
        ),
        // A TCP client socket on loopback, for the tests that talk to the real dashboard server (and a runner for
        // the tools they use: openssl, curl).
        .target(name: "LoopbackSocket", path: "Tests/LoopbackSocket", swiftSettings: strictSettings),
        // Scores the motion analysis against simulator truth (tests and `make bench-motion`).
        .target(
            name: "LumbarMotionScoring",
            dependencies: ["LumbarCore", "LumbarFusion", "LumbarMotion", "LumbarSession", "LumbarSim"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "MotionBench", dependencies: ["LumbarCore", "LumbarFusion", "LumbarMotion", "LumbarMotionScoring", "LumbarSim"],
            path: "Benchmarks/motion", swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LumbarMotionTests",
            dependencies: ["LumbarCore", "LumbarFusion", "LumbarMotion", "LumbarMotionScoring", "LumbarSim"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LumbarSoundTests", dependencies: ["LumbarCore", "LumbarSound", "LumbarSession", "CAlsa"],
            swiftSettings: strictSettings
        ),
        // A throwaway PostgreSQL server (Debian's binaries, a temp folder, a free port) for tests and `make bench-store`.
        .target(name: "ThrowawayPostgres", dependencies: ["LumbarStore"], path: "Tests/ThrowawayPostgres", swiftSettings: strictSettings),
        .testTarget(
            name: "LumbarStoreTests", dependencies: ["LumbarCore", "LumbarSession", "LumbarStore", "ThrowawayPostgres"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "LumbarSimTests", dependencies: ["LumbarSim", "LumbarCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "LumbarSessionTests",
            dependencies: [
                "LumbarCore", "LumbarProtocol", "LumbarFusion", "LumbarMotion", "LumbarSession", "LumbarSim",
                "LumbarRecordings", "LumbarMotionScoring", "LumbarReplay",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LumbarFusionTests", dependencies: ["LumbarCore", "LumbarFusion", "LumbarSession", "BroadBenchmark"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LumbarProtocolTests",
            dependencies: ["LumbarProtocol", "LumbarCore", "CLumbarProtocol"],
            swiftSettings: strictSettings
        ),
        // Sensors people can buy: x-IMU3, WitMotion and text-line decoders against their vendor-doc emulators.
        .testTarget(
            name: "LumbarSensorFamilyTests", dependencies: ["LumbarProtocol", "LumbarCore", "LumbarSim", "LumbarDevice", "LumbarIO", "LumbarSession"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LumbarFeedbackTests",
            dependencies: [
                "LumbarCore", "LumbarProtocol", "LumbarMotion", "LumbarSession", "LumbarSim", "LumbarFeedback",
                "LoopbackSocket", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    cLanguageStandard: .c99
)
