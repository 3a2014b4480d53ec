"""What the emulator drivers (run_vectors.py, e2e_live.py, simavr_sensor.py) share."""
import subprocess


def stop(proc, grace=5):
    """Ends an emulator we started: SIGTERM, then SIGKILL after `grace` seconds; always reaped."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
