"""The orbit code never touches the network: loading and computing with sockets disabled."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from twin.orbit import almanac as eph_module
from twin.orbit.examples import dawn_dusk_shell
from twin.orbit.geometry import shell_geometry
from twin.spec.orbit import GroundStation, OrbitWindow

REPO = Path(__file__).resolve().parents[2]


class NetworkUsed(AssertionError):
    pass


def _refuse(*args, **kwargs):
    raise NetworkUsed(f"network access attempted: {args!r}")


def test_load_and_compute_with_sockets_disabled(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.com", 80))
    # Fresh loads (not cached ones from other tests); old objects stay referenced by atexit.
    eph_module._loader.cache_clear()
    eph_module.timescale.cache_clear()
    eph_module.ephemeris.cache_clear()
    eph = eph_module.ephemeris()
    ts = eph_module.timescale()
    assert eph["sun"] is not None and ts.utc(2026, 6, 21).tt > 0
    st = {"x": GroundStation(name="x", lat_deg=60, lon_deg=10, source="assumption: test")}
    ds = shell_geometry({"dd": dawn_dusk_shell()}, st, OrbitWindow(months=2, step_s=120))
    assert np.isfinite(ds.sunlit_fraction.values).all()


def test_cold_start_in_a_fresh_interpreter_without_network():
    """A new process with sockets disabled before anything is imported."""
    code = textwrap.dedent(
        """
        import socket
        def refuse(*a, **k):
            raise OSError("network disabled")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        import warnings
        warnings.simplefilter("error")
        from twin.orbit import ephemeris, timescale, shell_geometry
        from twin.orbit.examples import iss_like_shell
        from twin.spec.orbit import OrbitWindow
        ds = shell_geometry({"iss": iss_like_shell()}, {}, OrbitWindow(months=1, step_s=300))
        print(float(ds.sunlit_fraction[0]))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert 0.5 < float(out.stdout.strip()) <= 1.0
