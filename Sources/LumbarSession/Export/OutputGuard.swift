/// Outputs never destroy inputs: an output path that is the input file (under any spelling), or that
/// holds a Lumbar recording, is refused before anything is opened or truncated. Recordings are the one
/// thing that cannot be made again (`lumbar replay v.lrec --events v.lrec` used to erase the session).
public enum OutputGuard {
    /// Throws when writing `output` would replace `input` or an existing recording. `-` (standard output)
    /// is always fine.
    ///
    /// - Throws: `ExportError` naming the output and why it is refused.
    public static func check(_ output: String, input: String? = nil) throws(ExportError) {
        guard output != "-" else { return }
        if let input, FileDescriptorIO.sameFile(output, input) {
            throw ExportError(path: output, message: "is the input; an output cannot be written over it (pick another name)")
        }
        if FileDescriptorIO.isRecording(output) {
            throw ExportError(
                path: output, message: "is a Lumbar recording; outputs are never written over a recording (pick another name)")
        }
    }
}
