#!/usr/bin/env python3
"""BROAD inclination RMSE of `lumbar fuse` next to the peers (VQF, x-io Fusion), per trial and mean.

Usage: broad.py [--broad DIR] [--lumbar PATH] [--no-peers]
  DIR defaults to $LUMBAR_BROAD_DIR, else ../shared/datasets/broad (or ../../shared/...) from the repository.
Scoring is exactly the BROAD README's: e = q_est ⊗ conj(q_ref); inc = 2·acos(min(1, √(e.w²+e.z²)));
RMSE over rows with movement == 1 and a finite reference. Every filter runs causally from the first
sample with default settings. Needs numpy; peers need `pip install vqf imufusion`.
"""
import argparse, glob, os, subprocess, sys, tempfile, time
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    return header, data


def quat_mul(a, b):
    aw, ax, ay, az = a.T
    bw, bx, by, bz = b.T
    return np.stack([aw * bw - ax * bx - ay * by - az * bz,
                     aw * bx + ax * bw + ay * bz - az * by,
                     aw * by - ax * bz + ay * bw + az * bx,
                     aw * bz + ax * by - ay * bx + az * bw], axis=1)


def inclination_rmse(q_est, q_ref, movement):
    q_est = q_est / np.linalg.norm(q_est, axis=1, keepdims=True)
    ok = (movement == 1) & np.all(np.isfinite(q_ref), axis=1)
    q_ref = q_ref[ok] / np.linalg.norm(q_ref[ok], axis=1, keepdims=True)
    conj = q_ref * np.array([1, -1, -1, -1])
    e = quat_mul(q_est[ok], conj)
    e = e / np.linalg.norm(e, axis=1, keepdims=True)
    inc = 2 * np.arccos(np.minimum(1, np.sqrt(e[:, 0] ** 2 + e[:, 3] ** 2)))
    return float(np.degrees(np.sqrt(np.mean(inc ** 2))))


def run_lumbar(binary, samples_path, tmp):
    out = os.path.join(tmp, os.path.basename(samples_path) + ".orientation.csv")
    t0 = os.times()
    subprocess.run([binary, "fuse", samples_path, "--output", out], check=True)
    t1 = os.times()
    wall = (t1.children_user - t0.children_user) + (t1.children_system - t0.children_system)
    _, q = load_csv(out)
    return q[:, 1:5], wall


def run_vqf(dt, acc, gyr):
    import vqf
    f = vqf.VQF(dt)
    out = f.updateBatch(np.ascontiguousarray(gyr), np.ascontiguousarray(acc))
    return out["quat6D"]


def run_fusion(dt, acc_g, gyr_dps, variant):
    import imufusion
    ahrs = imufusion.Ahrs()
    bias = None
    if variant == "tuned":
        ahrs.set_settings(imufusion.AhrsSettings(sample_rate=1 / dt, convention=imufusion.CONVENTION_NWU, gain=0.5,
                                                 gyroscope_range=2000, acceleration_rejection=10,
                                                 rejection_timeout=5))
        bias = imufusion.Bias()
        bias.set_settings(imufusion.BiasSettings(sample_rate=1 / dt))
    else:
        ahrs.set_sample_period(dt)
    q = np.empty((len(acc_g), 4))
    for i in range(len(acc_g)):
        g = gyr_dps[i]
        if bias is not None:
            g = bias.update(g)
        ahrs.update_no_magnetometer(g, acc_g[i])
        q[i] = ahrs.get_quaternion()
    return q


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_dir = next((d for d in [os.path.join(REPO, "..", "shared", "datasets", "broad"),
                                    os.path.join(REPO, "..", "..", "shared", "datasets", "broad")]
                        if os.path.isdir(d)), os.path.join(REPO, "..", "shared", "datasets", "broad"))
    p.add_argument("--broad", default=os.environ.get("LUMBAR_BROAD_DIR", default_dir))
    p.add_argument("--lumbar", default=os.path.join(REPO, ".build", "release", "lumbar"))
    p.add_argument("--no-peers", action="store_true", help="score lumbar only")
    args = p.parse_args()
    trials = sorted(glob.glob(os.path.join(args.broad, "*.samples.csv")))
    if not trials:
        sys.exit(f"broad.py: no *.samples.csv in '{args.broad}' (set LUMBAR_BROAD_DIR or --broad)")
    if not os.access(args.lumbar, os.X_OK):
        sys.exit(f"broad.py: '{args.lumbar}' is not an executable (run `swift build -c release` first)")
    peers = [] if args.no_peers else ["VQF", "Fusion", "Fusion+rej+bias"]
    names, rows, cost = [], {k: [] for k in ["lumbar"] + peers}, {k: 0.0 for k in ["lumbar"] + peers}
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in trials:
            trial = os.path.basename(path).replace(".samples.csv", "")
            names.append(trial.split("_")[0])
            header, s = load_csv(path)
            _, truth = load_csv(path.replace(".samples.csv", ".truth.csv"))
            q_ref, movement = truth[:, 1:5], truth[:, 5]
            col = {n: i for i, n in enumerate(header)}
            acc_ms2 = s[:, [col["acc_x_ms2"], col["acc_y_ms2"], col["acc_z_ms2"]]]
            gyr_rads = s[:, [col["gyr_x_rads"], col["gyr_y_rads"], col["gyr_z_rads"]]]
            dt = float(np.median(np.diff(s[:, 0])))
            total += len(s)
            q, wall = run_lumbar(args.lumbar, path, tmp)
            cost["lumbar"] += wall
            rows["lumbar"].append(inclination_rmse(q, q_ref, movement))
            if "VQF" in peers:
                t0 = time.process_time()
                q = run_vqf(dt, acc_ms2, gyr_rads)
                cost["VQF"] += time.process_time() - t0
                rows["VQF"].append(inclination_rmse(q, q_ref, movement))
            for variant, key in [("default", "Fusion"), ("tuned", "Fusion+rej+bias")]:
                if key not in peers:
                    continue
                t0 = time.process_time()
                q = run_fusion(dt, acc_ms2 / 9.80665, np.degrees(gyr_rads), variant)
                cost[key] += time.process_time() - t0
                rows[key].append(inclination_rmse(q, q_ref, movement))
    print("BROAD inclination RMSE, degrees (default settings, causal, from the first sample)")
    print(f"{'filter':<20}" + "".join(f"{n:>7}" for n in names) + f"{'mean':>7}{'worst':>7}")
    for k, v in rows.items():
        print(f"{k:<20}" + "".join(f"{x:7.3f}" for x in v) + f"{np.mean(v):7.3f}{np.max(v):7.3f}")
    print(f"\nCPU time per sample over {total} samples, whole runs (includes I/O and interpreter overhead):")
    notes = {"lumbar": "`lumbar fuse` process: CSV read + filter + CSV write",
             "VQF": "vqf.VQF.updateBatch (C++ core, one Python call per trial)",
             "Fusion": "imufusion, one Python call per sample",
             "Fusion+rej+bias": "imufusion + Bias, two Python calls per sample"}
    for k, c in cost.items():
        print(f"  {k:<20}{c / total * 1e9:9.0f} ns/sample  {notes[k]}")


if __name__ == "__main__":
    main()
