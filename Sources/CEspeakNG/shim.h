// The espeak-ng synthesiser (libespeak-ng), for LumbarSound: speech rendered into memory at start-up.
#include <espeak-ng/speak_lib.h>
