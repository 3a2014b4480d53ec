import Dispatch
import Foundation
import Logging
import LoopbackSocket
import LumbarFeedback
import Glibc

/// A deliberately plain HTTP/1.1 client over a blocking loopback socket, so that tests talk to the
/// real server the way a browser or `curl` would (and can refuse to read, like a stalled page).
/// Blocking calls run on the client's own serial Dispatch queue (an overcommitting one: a blocked read
/// there never takes a thread from the Swift concurrency pool or the global queues).
final class LoopbackHTTPClient: @unchecked Sendable {
    // @unchecked: a test drives one client from one task at a time, and every call awaits its block on the
    // serial `queue` before returning, so the mutable read state (`pending`, `chunked`, `contentLength`)
    // is never touched by two threads at once; `fd` and `port` never change after init.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Head {
        var status: Int
        /// Header names lower-cased.
        var headers: [String: String]
    }

    private let fd: Int32
    /// The server's port (the `Host` header carries it, as a browser's does).
    let port: Int
    /// The IPv4 address connected to (a loopback one).
    let address: String
    private let queue = DispatchQueue(label: "LoopbackHTTPClient")
    private var pending: [UInt8] = []
    private var chunked = false
    private var contentLength: Int?

    /// Connects to `127.0.0.1:port`; `receiveBufferBytes` shrinks the socket's receive buffer (a small
    /// window makes a client that never reads stall the server's writes sooner).
    init(port: Int, receiveBufferBytes: Int32? = nil, address: String = "127.0.0.1") throws {
        self.port = port
        self.address = address
        do {
            fd = try connectedLoopbackSocket(port: port, receiveBufferBytes: receiveBufferBytes, address: address)
        } catch {
            throw Failure(description: error.description)
        }
    }

    deinit { close(fd) }

    /// Sends `GET path` (keeping the connection for a stream) with `Host: host` (`127.0.0.1:PORT` by
    /// default, as a browser sends it).
    func get(_ path: String, method: String = "GET", host: String? = nil, headers: [String] = []) throws {
        let host = host ?? "\(address):\(port)"
        let extra = headers.map { $0 + "\r\n" }.joined()
        try send("\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nAccept: */*\r\n\(extra)\r\n")
    }

    /// Sends `text` as it is (a partial request head, for instance).
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            sent += n
        }
    }

    /// True when the server has closed the connection (end of stream or reset), waiting at most
    /// `milliseconds` for it; any data that came first is kept for the readers.
    func isClosedByServer(waitingMilliseconds milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, milliseconds) == 1 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n > 0 {
            pending += buffer[..<n]
            return false
        }
        return n == 0 || errno == ECONNRESET
    }

    /// True when response bytes arrive within `milliseconds` (they are kept for the readers).
    func hasData(waitingMilliseconds milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) == 1
    }

    /// Reads the status line and headers.
    func readHead() async throws -> Head {
        try await offThread {
            while true {
                if let end = self.find([13, 10, 13, 10]) {
                    let text = String(decoding: self.pending[..<end], as: UTF8.self)
                    self.pending.removeFirst(end + 4)
                    var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
                    let statusLine = lines.removeFirst().split(separator: " ")
                    guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
                        throw Failure(description: "bad status line in \(text)")
                    }
                    var headers: [String: String] = [:]
                    for line in lines {
                        guard let colon = line.firstIndex(of: ":") else { continue }
                        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                            .trimmingPrefix(" ").description
                    }
                    self.chunked = headers["transfer-encoding"]?.lowercased() == "chunked"
                    self.contentLength = headers["content-length"].flatMap { Int($0) }
                    return Head(status: status, headers: headers)
                }
                try self.receiveMore()
            }
        }
    }

    /// Reads a whole (non-streaming) body.
    func readBody() async throws -> String {
        var body: [UInt8] = []
        if let length = contentLength {
            try await offThread {
                while self.pending.count < length { try self.receiveMore() }
            }
            body = Array(pending[..<length])
            pending.removeFirst(length)
        } else {
            while let chunk = try await readChunk() { body += chunk }
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// Reads streamed body text until a chunk satisfies `done` (the server writes whole SSE messages per
    /// chunk); returns all the text read.
    func readStream(until done: (Substring) -> Bool) async throws -> String {
        var body: [UInt8] = []
        while true {
            guard let chunk = try await readChunk() else {
                throw Failure(description: "stream ended early after \(body.count) bytes")
            }
            body += chunk
            if done(String(decoding: chunk, as: UTF8.self)[...]) { return String(decoding: body, as: UTF8.self) }
        }
    }

    /// One chunk of a chunked body; nil at its end.
    func readChunk() async throws -> [UInt8]? {
        try await offThread {
            guard self.chunked else {
                if self.pending.isEmpty { try self.receiveMore() }
                defer { self.pending.removeAll() }
                return self.pending
            }
            while self.find([13, 10]) == nil { try self.receiveMore() }
            let lineEnd = self.find([13, 10])!
            let sizeText = String(decoding: self.pending[..<lineEnd], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else {
                throw Failure(description: "bad chunk size '\(sizeText)'")
            }
            while self.pending.count < lineEnd + 2 + size + 2 { try self.receiveMore() }
            let chunk = Array(self.pending[(lineEnd + 2)..<(lineEnd + 2 + size)])
            self.pending.removeFirst(lineEnd + 2 + size + 2)
            return size == 0 ? nil : chunk
        }
    }

    private func receiveMore() throws {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else {
            throw Failure(description: n == 0 ? "connection closed by the server" : "recv failed: errno \(errno)")
        }
        pending += buffer[..<n]
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard pending.count >= needle.count else { return nil }
        for i in 0...(pending.count - needle.count) where pending[i] == needle[0] {
            if Array(pending[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    private func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

/// A server on a free loopback port for the duration of `body`; its log goes to `log` when given.
func withDashboardServer(
    _ hub: DashboardHub, host: String = "127.0.0.1", limits: DashboardServer.Limits = .init(),
    access: DashboardAccess? = nil, tls: DashboardTLS? = nil, log: LogRecorder? = nil, logLevel: Logger.Level = .info,
    _ body: (Int) async throws -> Void
) async throws {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    var logger = log.map { recorder in Logger(label: "test") { _ in recorder } } ?? Logger(label: "test")
    logger.logLevel = log == nil ? .critical : logLevel
    let server = DashboardServer(
        hub: hub, address: HTTPAddress(host: host, port: 0), limits: limits, access: access, tls: tls, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            try await server.run { port in
                continuation.yield(port)
                continuation.finish()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            throw LoopbackHTTPClient.Failure(description: "the server did not start")
        }
        do {
            try await body(port)
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
    }
}

/// The SSE messages in `text`: each message's `event` name ("message" by default) and joined `data`.
func sseMessages(_ text: String) -> [(event: String, data: String)] {
    var messages: [(event: String, data: String)] = []
    for block in text.split(separator: "\n\n") {
        var event = "message"
        var data: [Substring] = []
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(line.dropFirst(6)) }
        }
        if !data.isEmpty { messages.append((event, data.joined(separator: "\n"))) }
    }
    return messages
}

extension LoopbackHTTPClient {
    /// Opens `path` as a stream, reads the response head and waits (bounded) until the hub has
    /// subscribed the client: a request is answered asynchronously.
    static func stream(_ path: String, port: Int, hub: DashboardHub) async throws -> LoopbackHTTPClient {
        let before = hub.clientStatistics.count
        let client = try LoopbackHTTPClient(port: port)
        try client.get(path)
        _ = try await client.readHead()
        for _ in 0..<500 where hub.clientStatistics.count <= before {
            try await Task.sleep(for: .milliseconds(10))
        }
        guard hub.clientStatistics.count > before else { throw Failure(description: "\(path): the hub never subscribed") }
        return client
    }
}

/// A log handler that keeps each message, so that tests can check what the server said.
final class LogRecorder: LogHandler, @unchecked Sendable {
    // @unchecked: `recorded` is guarded by `lock`; `metadata` and `logLevel` are set by the test before the
    // logger is handed to the server and only read afterwards.
    private let lock = NSLock()
    private var recorded: [(level: Logger.Level, message: String)] = []
    private var withMetadata: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).merging(self.metadata) { a, _ in a }
        lock.withLock {
            recorded.append((event.level, "\(event.message)"))
            withMetadata.append("\(event.message) \(metadata)")
        }
    }

    /// Every line logged so far, each with its metadata.
    func linesWithMetadata() -> [String] {
        lock.withLock { withMetadata }
    }

    /// The messages logged so far at `level` or above.
    func messages(atLeast level: Logger.Level = .trace) -> [String] {
        lock.withLock { recorded.filter { $0.level >= level }.map(\.message) }
    }
}
