import ArgumentParser
import LumbarMotion

/// `--tempo 2-1-2`: concentric, hold and eccentric seconds.
extension Tempo: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
