#if canImport(Glibc)
import Glibc
#endif
import LumbarIO
import LumbarStore
import Testing

/// Which database: the default file, a path, a PostgreSQL URL; credentials never from the command line.
struct StoreAddressTests {
    @Test("the default database is under XDG_DATA_HOME, else ~/.local/share")
    func defaultLocation() throws {
        #expect(try StoreAddress.resolve(option: nil, config: [], environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"])
                == .sqlite(path: "/d/lumbar/lumbar.sqlite"))
        #expect(try StoreAddress.resolve(option: nil, config: [], environment: ["HOME": "/h"]) == .sqlite(path: "/h/.local/share/lumbar/lumbar.sqlite"))
        #expect(try StoreAddress.resolve(option: "x.sqlite", config: [], environment: [:]) == .sqlite(path: "x.sqlite"))
    }

    @Test("a password on the command line is refused; the config's or PGPASSWORD is used and never shown")
    func credentials() throws {
        #expect(throws: StoreError.self) {
            try StoreAddress.resolve(option: "postgres://u:secret@h/db", config: [], environment: [:])
        }
        let config = [ConfigEntry(key: "url", value: "postgres://u:fromfile@db.lan:5433/clinic", location: "c:2")]
        guard case .postgres(let a) = try StoreAddress.resolve(option: nil, config: config, environment: [:]) else {
            Issue.record("not postgres"); return
        }
        #expect(a.host == "db.lan" && a.port == 5433 && a.user == "u" && a.password == "fromfile" && a.database == "clinic")
        #expect(!a.description.contains("fromfile") && a.description == "postgres://u@db.lan:5433/clinic")
        guard case .postgres(let b) = try StoreAddress.resolve(option: "postgres://u@h/db", config: [], environment: ["PGPASSWORD": "env"])
        else { Issue.record("not postgres"); return }
        #expect(b.password == "env" && b.port == 5432)
        let withPassword = [ConfigEntry(key: "password", value: "cfg", location: "c:3")]
        guard case .postgres(let c) = try StoreAddress.resolve(option: "postgres://u@h/db", config: withPassword, environment: ["PGPASSWORD": "env"])
        else { Issue.record("not postgres"); return }
        #expect(c.password == "cfg", "the config file's password comes before the environment's")
    }

    @Test("malformed addresses are one line naming them")
    func malformed() {
        for bad in ["postgres://h", "postgres://h:99999/db", "mysql://h/db"] {
            do { _ = try StoreAddress.resolve(option: bad, config: [], environment: [:]); Issue.record("\(bad) accepted") } catch {
                #expect(error.message.contains(bad) && !error.message.contains("\n"), "\(error.message)")
            }
        }
    }

    @Test("SHA-256 matches the FIPS 180-4 examples, across block boundaries")
    func sha256() {
        #expect(RecordingHash.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(RecordingHash.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(RecordingHash.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(RecordingHash.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("a recording's hash is read in pieces yet equals the hash of its whole contents; no file, no hash")
    func recordingFileHash() throws {
        let path = "/tmp/lumbar-hash-\(getpid()).bin"
        defer { unlink(path) }
        // A million 'a's: 15 reads of 64 KiB and a partial one.
        let bytes = [UInt8](repeating: 0x61, count: 1_000_000)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count)
        close(fd)
        #expect(RecordingHash.hex(ofFile: path) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(RecordingHash.hex(ofFile: path + ".missing") == nil)
    }
}
