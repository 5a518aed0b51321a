"""CF-1.11: every dataset twin writes passes the IOOS compliance checker offline, with units that
UDUNITS and pint both read, a bounded time axis and no machine paths in its attributes."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from conftest import SHORT_BASELINE

from twin.orbit.examples import dawn_dusk_shell
from twin.orbit.geometry import shell_geometry
from twin.plan import plan
from twin.report import open, read, to_dataset, write
from twin.report.cf import annotate
from twin.spec import load_model
from twin.spec.orbit import GroundStation, OrbitWindow
from twin.sweep import grid, run_member, summary
from twin.units import quantity, ureg

MODEL = "models/baseline.yaml"
ROOT = Path(__file__).resolve().parents[2]
HIGH, MEDIUM = 3, 2


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A solve report, an orbit geometry file and a sweep result, written as the CLI writes them."""
    d = tmp_path_factory.mktemp("cf")
    spec = load_model(MODEL, scenario="neocloud", overrides=SHORT_BASELINE)
    out = {"report": write(to_dataset(plan(spec)), d / "report.nc")}
    # the baseline's default form, power in hours (dims day, hour), over 2 years
    hours = [("horizon.years", 2), ("horizon.end_effects", "none"), ("solver.tie_break", "none")]
    hourly = load_model(MODEL, scenario="neocloud", overrides=hours)
    assert hourly.model.horizon.hours.representative_days is not None
    out["hours"] = write(to_dataset(plan(hourly)), d / "hours.nc")
    st = {"svalbard": GroundStation(name="svalbard", lat_deg=78.2, lon_deg=15.4, source="test")}
    geo = shell_geometry({"dd": dawn_dusk_shell()}, st, OrbitWindow(months=1, step_s=600))
    geo.attrs.update(schema_version="orbit-1", title="twin orbit geometry")
    annotate(geo, model_file=spec.path, files=spec.files, action="orbit geometry")
    out["orbit"] = write(geo, d / "orbit.nc")
    members = grid(
        ["neocloud"],
        {"economics.discount_rate": [0.06, 0.1], **{k: [v] for k, v in SHORT_BASELINE}},
    )
    rows = [run_member(MODEL, m, str(d)) for m in members]
    sweep = annotate(summary(rows, members), model_file=spec.path, files=spec.files)
    out["sweep"] = write(sweep, d / "sweep.nc")
    myopic = load_model(
        MODEL,
        overrides=[("solver.foresight", "myopic"), ("solver.window_years", 3), *SHORT_BASELINE],
    )
    out["myopic"] = write(to_dataset(plan(myopic)), d / "myopic.nc")
    out["stochastic"] = write(_stochastic(), d / "stochastic.nc")
    from twin.study.alternatives import near_optimal

    study = near_optimal(spec, 0.05, ["capex"], spores=0)
    alt = annotate(study.to_dataset(), model_file=spec.path, files=spec.files, action="alt")
    out["alternatives"] = write(alt, d / "alternatives.nc")
    clause = xr.Dataset(
        {"clause_value_musd": ((), np.float64(12.5))},
        attrs={"clause": "notice", "title": "value of the notice clause"},
    )
    clause["clause_value_musd"].attrs.update(units="1e6 USD", long_name="value of the clause")
    out["clause"] = write(clause, d / "clause.nc")
    return out


def _stochastic() -> xr.Dataset:
    """The two-leaf newsvendor's stochastic report, as ``twin solve`` builds it."""
    from newsvendor import newsvendor

    from twin.report.stochastic import leaf_dataset, to_stochastic_dataset
    from twin.spec import load_dict
    from twin.study.risk import analyse

    law = [{"value": 20.0, "probability": 0.25}, {"value": 80.0, "probability": 0.75}]
    rp, figs = analyse(load_dict(newsvendor(law)))
    plans = rp.plans()
    leaves = {s.name: leaf_dataset(plans[s.name], s.probability) for s in rp.tree.scenarios}
    return to_stochastic_dataset(leaves, rp.tree, figs, rp.store.labelled(rp.decisions(1)), "ef")


KINDS = ["report", "hours", "orbit", "sweep", "myopic", "stochastic", "alternatives", "clause"]


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"network access attempted: {args!r}")


_CHECKED: dict[Path, tuple[list, dict]] = {}

#: compliance-checker's helpers that read a dataset's variables and return what they find; its
#: checks call them again for every variable (``get_auxiliary_coordinate_variables`` 3,284 times
#: on a 6-year report: 28 s of the checker's 28). The dataset is opened read-only for one run, so
#: each answer is kept for the run and a copy handed out: the checks and their results are the
#: checker's own, found in a fifth of the time.
_PURE = (
    "get_auxiliary_coordinate_variables",
    "get_axis_variables",
    "get_latitude_variables",
    "get_longitude_variables",
    "get_geophysical_variables",
    "get_z_variables",
    "get_time_variable",
    "get_time_variables",
    "coordinate_dimension_matrix",
    "is_geophysical",
    "get_axis_map",
)


def _remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each :data:`_PURE` helper's answer per (dataset, arguments) for one checker run."""
    import copy
    import functools

    util = pytest.importorskip("compliance_checker.cf.util")
    for name in _PURE:
        original = getattr(util, name, None)
        if original is None:  # another release of the checker: its own helper, as it is
            continue
        seen: dict[tuple, object] = {}

        @functools.wraps(original)
        def kept(nc: object, *args: object, _f=original, _seen=seen, **kwargs: object) -> object:
            key = (id(nc), *args, *sorted(kwargs.items()))
            if key not in _seen:
                _seen[key] = _f(nc, *args, **kwargs)
            return copy.deepcopy(_seen[key])

        monkeypatch.setattr(util, name, kept)


def _run_checker(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list, dict]:
    """The checker's CF 1.11 results and errors for ``path`` (once per file, offline)."""
    if path in _CHECKED:
        return _CHECKED[path]
    checker = pytest.importorskip("compliance_checker.runner")
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    _remembered(monkeypatch)
    suite = checker.CheckSuite()
    suite.load_all_available_checkers()
    out = suite.run_all(suite.load_dataset(str(path)), ["cf:1.11"], skip_checks=[])["cf:1.11"]
    _CHECKED[path] = out
    return out


def test_remembered_helpers_leave_the_checkers_results_as_they_are(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The speed-up above changes no result: on the sweep file (1.5 s without it) every check's
    name, score, weight and messages, and the errors, are the checker's own."""
    checker = pytest.importorskip("compliance_checker.runner")

    def results() -> tuple[list, dict]:
        suite = checker.CheckSuite()
        suite.load_all_available_checkers()
        got = suite.run_all(suite.load_dataset(str(files["sweep"])), ["cf:1.11"], skip_checks=[])
        groups, errors = got["cf:1.11"]
        return sorted((r.name, str(r.value), r.weight, tuple(r.msgs)) for r in groups), errors

    monkeypatch.setattr(socket.socket, "connect", _refuse)
    own = results()
    with monkeypatch.context() as m:
        _remembered(m)
        assert results() == own
    assert len(own[0]) > 20


@pytest.mark.parametrize("kind", KINDS)
def test_compliance_checker_finds_no_high_or_medium_failure_offline(
    files: dict[str, Path], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    groups, _errors = _run_checker(files[kind], monkeypatch)
    failed = []
    for r in groups:
        passed, total = r.value if isinstance(r.value, tuple) else (int(r.value), 1)
        if r.weight >= MEDIUM and passed < total:
            failed.append((r.weight, r.name, r.msgs))
    assert failed == []
    assert len(groups) > 20  # the checker really ran its CF checks


@pytest.mark.parametrize("kind", KINDS)
def test_the_checker_raises_no_error(
    files: dict[str, Path], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _groups, errors = _run_checker(files[kind], monkeypatch)
    assert not errors, sorted(errors)


@pytest.mark.parametrize("kind", ["report", "hours", "orbit", "sweep"])
def test_no_attribute_holds_a_path_of_the_writing_machine(
    files: dict[str, Path], kind: str
) -> None:
    ds = open(files[kind]) if kind == "report" else read(files[kind])
    texts = [str(v) for v in ds.attrs.values()]
    texts += [str(v) for name in ds.variables for v in ds[name].attrs.values()]
    texts += [str(v) for v in ds["file"].values] if "file" in ds else []
    for t in texts:
        assert str(ROOT) not in t and str(files[kind].parent) not in t, t
    assert ds.attrs["Conventions"] == "CF-1.11"
    assert ds.attrs["model_file"] == "baseline.yaml"
    assert "twin" in ds.attrs["history"]


@pytest.mark.parametrize("kind", ["report", "hours"])
def test_every_unit_parses_in_udunits_and_pint_and_agrees_with_twin_units(
    files: dict[str, Path], kind: str
) -> None:
    """``units`` is ``twin_units`` with USD, H100e and wafers taken as dimensionless counts: the two
    quantities have the same magnitude and, dividing out the currency and compute dimensions,
    the same physical dimension."""
    cf_units = pytest.importorskip("cf_units")
    ds = open(files[kind])
    seen = set()
    for name in ds.variables:
        attrs = ds[name].attrs
        if "units" not in attrs or ds[name].dtype.kind in "OSUM" or name == "period_bounds":
            continue
        cf_units.Unit(attrs["units"])  # UDUNITS reads it
        cf = quantity(attrs["units"])
        dom = quantity(attrs.get("twin_units", attrs["units"]))
        counts = ureg.Quantity(1, dom.units).to_root_units()  # pure USD/H100e part
        dims = dict(counts.dimensionality)
        strip = (
            ureg.USD ** dims.get("[currency]", 0)
            * ureg.H100e ** dims.get("[compute]", 0)
            * ureg.wafer ** dims.get("[wafer]", 0)
        )
        stripped = (dom / strip).to_reduced_units()
        assert stripped.to(cf.units).magnitude == pytest.approx(cf.magnitude, rel=1e-9), name
        seen.add(attrs.get("twin_units"))
    assert {"H100e", "1e6 USD", "USD/(H100e h)", "1e6 USD/(MW year)"} <= seen


def test_domain_units_are_defined_once_and_convert() -> None:
    assert quantity("H100e").dimensionality == {"[compute]": 1}  # not henry**100 * e
    assert quantity("1e6 USD").to("USD").magnitude == 1e6
    # $2 per H100e-hour is $17,532 per H100e-year (Julian year of 8,766 h)
    assert quantity("USD/(H100e h)", 2.0).to("USD/(H100e year)").magnitude == pytest.approx(17532)


def test_time_axis_has_cf_attributes_and_period_bounds(files: dict[str, Path]) -> None:
    ds = open(files["report"])
    p = ds["period"]
    assert p.attrs["axis"] == "T" and p.attrs["standard_name"] == "time"
    assert p.attrs["bounds"] == "period_bounds"
    b = ds["period_bounds"].values
    np.testing.assert_array_equal(b[:, 0], p.values)
    np.testing.assert_array_equal(b[:-1, 1], p.values[1:])  # each period ends where the next starts
    assert b[-1, 1] == np.datetime64(ds.attrs["horizon_end"], "ns")
    for c in ds.coords:
        assert ds[c].attrs.get("long_name"), c


def test_sweep_variables_have_cf_legal_names_and_keep_their_paths(
    files: dict[str, Path],
) -> None:
    ds = read(files["sweep"])
    assert "economics_discount_rate" in ds.coords
    assert ds["economics_discount_rate"].attrs["swept_path"] == "economics.discount_rate"
    assert list(ds["economics_discount_rate"].values) == [0.06, 0.1]
    for name in ds.variables:
        assert str(name).replace("_", "a").isalnum() and str(name)[0].isalpha(), name
