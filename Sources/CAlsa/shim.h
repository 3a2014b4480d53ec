// The ALSA PCM API (libasound2), for LumbarSound (pkg-config alsa adds the include path).
#include <alsa/asoundlib.h>

// alsa-lib prints its own diagnostics to stderr ("ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown
// PCM ..."); Lumbar says what failed in one line of its own, so they are silenced. The handler is
// variadic, which Swift cannot define: hence C here.
static void lumbar_alsa_silent_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void lumbar_alsa_silence_errors(void) { snd_lib_error_set_handler(lumbar_alsa_silent_error); }
