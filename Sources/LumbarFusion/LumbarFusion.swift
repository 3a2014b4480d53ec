// LumbarFusion: per-sensor 6-axis orientation (complementary filter with gyro-bias estimation,
// rest detection and acceleration rejection). Pure value types, one `update` per sample.
