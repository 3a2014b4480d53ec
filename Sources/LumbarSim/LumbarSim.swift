// LumbarSim: a physically consistent IMU simulator: body-model trajectories of each exercise ->
// angular velocity and specific force per sensor -> noise, bias, quantisation -> wire frames.
