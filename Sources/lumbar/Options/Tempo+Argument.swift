import ArgumentParser
import LumbarMotion

/// `--tempo 2-1-2` or `--tempo 3-0-3,1-5-1`: concentric, hold and eccentric seconds, one per set, the last repeating.
extension TempoPrescription: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
