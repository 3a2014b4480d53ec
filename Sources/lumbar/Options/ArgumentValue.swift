import ArgumentParser
import LumbarFeedback
import LumbarIO

/// A value typed on the command line whose parser says why a text is not one.
///
/// ArgumentParser's `ExpressibleByArgument.init?(argument:)` can only say "invalid"; an option declared
/// with `transform: T.parse` keeps the reason: `Error: The value 'nope' is invalid for '--usb-id
/// <usb-id>': expected vvvv:pppp in hex, e.g. 0403:6001`. Each value is parsed once, when the command
/// line is, so `validate()` and `run()` see typed values (nothing is parsed twice).
protocol ArgumentValue: ExpressibleByArgument {
    /// Parses `text` as given after the option.
    /// - Throws: `ArgumentValueError` saying what is wrong (ArgumentParser names the option and the text).
    static func parse(_ text: String) throws(ArgumentValueError) -> Self
}

extension ArgumentValue {
    public init?(argument: String) {
        guard let value = try? Self.parse(argument) else { return nil }
        self = value
    }
}

/// Why a command-line text is not a value: printed after "The value 'X' is invalid for '--option <v>': ".
struct ArgumentValueError: Error, CustomStringConvertible, Hashable {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `--usb-id 0403:6001`.
extension USBDeviceID: ArgumentValue {
    static func parse(_ text: String) throws(ArgumentValueError) -> USBDeviceID {
        guard let id = USBDeviceID(text) else { throw ArgumentValueError("expected vvvv:pppp in hex, e.g. 0403:6001") }
        return id
    }
}

/// `--http 127.0.0.1:8080`.
extension HTTPAddress: ArgumentValue {
    static func parse(_ text: String) throws(ArgumentValueError) -> HTTPAddress {
        do { return try HTTPAddress(text) } catch {
            throw ArgumentValueError("\(error.problem) (expected ADDRESS:PORT, e.g. 127.0.0.1:8080)")
        }
    }
}
