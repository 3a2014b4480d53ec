import CAlsa
#if canImport(Glibc)
import Glibc
#endif

/// An ALSA playback PCM, mono signed 16-bit, opened non-blocking with a small period: the audio
/// thread writes what fits and waits in `poll` on the PCM's descriptors (and its own wake-up pipe).
final class AlsaPCM {
    private let handle: OpaquePointer
    let device: String
    /// What the device accepted, frames and Hz (may differ from what was asked).
    let sampleRate: Int
    let periodFrames: Int
    let bufferFrames: Int

    /// Opens `device` for playback at `sampleRate` Hz with about `periodFrames` per period and `periods` periods.
    ///
    /// - Throws: `SoundError` naming the device and ALSA's reason (no such device, busy, unsupported format).
    init(device: String, sampleRate: Int, periodFrames: Int, periods: Int) throws(SoundError) {
        self.device = device
        lumbar_alsa_silence_errors()
        var pcm: OpaquePointer?
        var status = snd_pcm_open(&pcm, device, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK)
        guard status >= 0, let pcm else { throw Self.error(device, "open", status) }
        handle = pcm
        var hw: OpaquePointer?
        snd_pcm_hw_params_malloc(&hw)
        defer { snd_pcm_hw_params_free(hw) }
        var rate = UInt32(sampleRate)
        var period = snd_pcm_uframes_t(periodFrames)
        var buffer = snd_pcm_uframes_t(periodFrames * periods)
        var direction: Int32 = 0
        status = snd_pcm_hw_params_any(pcm, hw)
        if status >= 0 { status = snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED) }
        if status >= 0 { status = snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE) }
        if status >= 0 { status = snd_pcm_hw_params_set_channels(pcm, hw, 1) }
        if status >= 0 { status = snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, &direction) }
        if status >= 0 { status = snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, &direction) }
        if status >= 0 { status = snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer) }
        if status >= 0 { status = snd_pcm_hw_params(pcm, hw) }
        guard status >= 0 else {
            snd_pcm_close(pcm)
            throw Self.error(device, "set up (mono 16-bit \(sampleRate) Hz)", status)
        }
        snd_pcm_hw_params_get_period_size(hw, &period, &direction)
        snd_pcm_hw_params_get_buffer_size(hw, &buffer)
        self.sampleRate = Int(rate)
        self.periodFrames = Int(period)
        self.bufferFrames = Int(buffer)
        // Start playing as soon as the first frames arrive (not when the buffer is full): lowest latency.
        var sw: OpaquePointer?
        snd_pcm_sw_params_malloc(&sw)
        defer { snd_pcm_sw_params_free(sw) }
        snd_pcm_sw_params_current(pcm, sw)
        snd_pcm_sw_params_set_start_threshold(pcm, sw, 1)
        snd_pcm_sw_params_set_avail_min(pcm, sw, period)
        snd_pcm_sw_params(pcm, sw)
    }

    deinit { snd_pcm_close(handle) }

    /// What a write did.
    enum WriteResult {
        /// Frames the device took (0: its buffer is full, wait for `pollDescriptors`).
        case wrote(Int)
        /// The device failed for good (unplugged: ENODEV), one line.
        case failed(String)
    }

    /// Hands up to `count` frames to ALSA without blocking; recovers an underrun (the device ran dry
    /// between clips) or a suspend by preparing again.
    func write(_ frames: UnsafePointer<Int16>, count: Int) -> WriteResult {
        var attempt = 0
        while true {
            let n = snd_pcm_writei(handle, frames, snd_pcm_uframes_t(count))
            if n >= 0 { return .wrote(Int(n)) }
            if n == -Int(EAGAIN) { return .wrote(0) }
            attempt += 1
            guard attempt < 3, snd_pcm_recover(handle, Int32(n), 1) >= 0 else {
                return .failed(Self.error(device, "write to", Int32(n)).description)
            }
        }
    }

    /// Discards the frames the device still holds (an alert cuts speech) and makes it ready to start again.
    func dropPending() {
        snd_pcm_drop(handle)
        snd_pcm_prepare(handle)
    }

    /// Plays out what the device holds, blocking (at shutdown).
    func drain() {
        snd_pcm_nonblock(handle, 0)
        snd_pcm_drain(handle)
    }

    /// The descriptors that `poll` watches for room in the device buffer.
    func pollDescriptors() -> [pollfd] {
        let count = Int(snd_pcm_poll_descriptors_count(handle))
        var fds = [pollfd](repeating: pollfd(), count: max(0, count))
        if count > 0 { _ = snd_pcm_poll_descriptors(handle, &fds, UInt32(count)) }
        return fds
    }

    /// True when `poll`'s results on `pollDescriptors` say the device can take frames (or failed).
    func isWritable(_ fds: UnsafeMutablePointer<pollfd>, count: Int) -> Bool {
        var revents: UInt16 = 0
        snd_pcm_poll_descriptors_revents(handle, fds, UInt32(count), &revents)
        return revents & UInt16(POLLOUT | POLLERR) != 0
    }

    private static func error(_ device: String, _ what: String, _ status: Int32) -> SoundError {
        SoundError("ALSA could not \(what) '\(device)': \(String(cString: snd_strerror(status))).")
    }
}
