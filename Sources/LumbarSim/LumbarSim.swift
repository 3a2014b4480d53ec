// LumbarSim: a physically consistent IMU simulator for tests, the demo and pseudo-terminal devices.
//
// Pipeline: SessionScript (exercise, sets, reps with faults, sensors, nuisances, seed)
//   -> SessionPlan: a timeline posing the body model (BodyModel) and each sensor's attachments
//   -> per sensor (SensorStream): true orientation q(t) and position p(t) of the sensor; gyroscope =
//      body-frame angular velocity from q (central differences, 0.25 ms); accelerometer = specific force
//      R⁻¹ (p¨ − g) / g0 (so the axis pointing up reads +1 g at rest); then scale error, bias, bias random
//      walk, white noise, int16 quantisation and clipping at the full scale; device clock with offset and
//      ppm drift (timestamps in 1 µs ticks); batches, lost packets, dropouts, heartbeats
//   -> SimulatedSession (samples, raw counts, true orientation per sample, SessionTruth per rep) or a lazy
//      SimulatedFrameStream of packets in arrival order.
//
// Body model (see BodyModel): pelvis/lumbar segment + thigh + shank per leg, hinge hips and knees.
// Exercises (ExerciseKinematics): back kick (quadruped, hip −90° → −90°+65..95°, knee held 90°),
// straight-leg kick and bird dog (quadruped, hip −90° → ~0°, knee 90° → 0° lagging the hip by 35 % so the
// foot rises first), prone leg raise (hip 0 → 12..23°), standing kickback (hip 0 → 22..33°). Reps are
// minimum-jerk concentric / hold / minimum-jerk eccentric. Lumbar faults are rotations of the pelvis
// growing with the leg's height (progress^1.5) to their magnitude at the top; the moving leg is carried
// by them (an arching pelvis lifts the leg further: faulty reps show a larger leg ROM).
//
// Not modelled: soft-tissue wobble of the strap, temperature-dependent bias, cross-axis sensitivity,
// magnetometers, the arms (bird dog's reaching arm), the supporting leg's reaction to pelvis motion,
// USB frame reordering. Heading is the earth X of the start posture.
