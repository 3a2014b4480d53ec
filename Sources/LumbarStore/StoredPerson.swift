import LumbarCore

/// A person whose sessions are stored (`--person NAME`). The id is derived from the name alone (trimmed,
/// case and inner spacing folded), so every station of a clinic gives the same person the same id without
/// asking the database first, and a typo in case or spacing does not split a person's history.
public struct StoredPerson: Sendable, Hashable {
    public var id: String
    public var name: String

    /// - Throws: `StoreError` for an empty name.
    public init(name: String) throws(StoreError) {
        let words = name.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard !words.isEmpty else { throw StoreError("'--person' needs a name, got '\(name)'") }
        self.name = words.joined(separator: " ")
        self.id = Self.id(forName: self.name)
    }

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// `p` and 16 hex digits of FNV-1a over the folded name.
    public static func id(forName name: String) -> String {
        let folded = name.lowercased().split(separator: " ").joined(separator: " ")
        let hex = String(FNV1a.hash64(folded.utf8), radix: 16)
        return "p" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
