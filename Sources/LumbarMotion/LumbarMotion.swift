// LumbarMotion: calibration, anatomical frames, rep segmentation from the moving leg, the lumbar
// movement detector, per-rep metrics and exercise profiles. Pure, time comes in with the samples.
