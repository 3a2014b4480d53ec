import LumbarCore

/// Everything stored of one person as one JSON document (their right to their data): every row of every
/// table that concerns them, with column names, numbers as stored (NULL as null).
public enum PersonExport {
    public static func json(_ c: any StoreConnection, person: StoredPerson) throws(StoreError) -> String {
        var out = "{\"schema_version\":\(StoreSchema.currentVersion),\"person\":\(JSONObjectWriter.quoted(person.name))"
        for table in StoreQueries.tables {
            let (columns, rows) = try StoreQueries.rows(c, table: table, person: person)
            out += ",\n\(JSONObjectWriter.quoted(table)):["
            out += rows.map { row in
                var o = JSONObjectWriter()
                for (name, value) in zip(columns, row) {
                    switch value {
                    case .null: o.raw(name, "null")
                    case .int(let i): o.raw(name, String(i))
                    case .double(let d): o.raw(name, d.isFinite ? "\(d)" : "null")
                    case .text(let s): o.string(name, s)
                    }
                }
                return "\n" + o.finish()
            }.joined(separator: ",")
            out += "]"
        }
        return out + "}\n"
    }
}
