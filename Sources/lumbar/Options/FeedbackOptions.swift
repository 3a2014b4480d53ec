import ArgumentParser
import LumbarFeedback

/// The feedback `live` and `replay` can give besides the terminal: the web dashboard (`--http`) and the
/// machine's own sound (`--sound` and how it sounds).
struct FeedbackOptions: ParsableArguments {
    @Option(
        help: "Serve the live web dashboard on ADDRESS:PORT, e.g. 127.0.0.1:8080 (loopback unless another address is given). After a replay it stays up until interrupted.",
        transform: HTTPAddress.parse)
    var http: HTTPAddress?

    @OptionGroup(title: "Sound")
    var sound: SoundOptions
}
