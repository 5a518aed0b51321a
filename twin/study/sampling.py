"""Sampled inputs and global sensitivity: draws from the model's ``uncertainty:`` section.

Each uncertain input (:mod:`twin.spec.uncertainty`) has a law ``F_i``: a frozen ``scipy.stats``
distribution or discrete outcomes. A design is a matrix ``U`` of points in the unit cube
``[0, 1)^d``, one row per member; member m sets input i to the quantile ``F_i^-1(U[m, i])``
(for discrete outcomes, the first outcome whose cumulative probability exceeds ``U[m, i]``).
Designs:

- ``lhs``: Latin hypercube (``scipy.stats.qmc.LatinHypercube``): each input's n strata hit once;
- ``sobol``: scrambled Sobol' sequence (``scipy.stats.qmc.Sobol``), best with n a power of 2;
- ``random``: independent uniforms (``numpy.random.Generator``);
- ``morris``: r Morris trajectories on a 4-level grid (SALib), ``r (d + 1)`` members; the grid
  ``{0, 1/3, 2/3, 1}`` maps to the quantiles ``0.025 + 0.95 u`` (an unbounded law has no 0 or 1
  quantile);
- ``saltelli``: SALib's Saltelli scheme for Sobol' indices, ``n (d + 2)`` members.

Global sensitivity uses SALib, on the unit-cube coordinates: Morris elementary effects
(``mu*``: mean absolute change of the output over a grid step, ``sigma``: its spread, i.e.
interaction or non-linearity) on a ``morris`` design; first-order and total Sobol' indices on a
``saltelli`` design; first-order indices by RBD-FAST on any other (lhs, sobol, random) design.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr
from scipy.stats import qmc

from twin.spec.errors import SpecError, did_you_mean
from twin.spec.load import Spec
from twin.spec.uncertainty import Marginal, marginals
from twin.study.ensemble import Member

#: Designs a sampled sweep accepts, and the sensitivity each allows.
METHODS = ("lhs", "sobol", "random")
SENSITIVITY = ("fast", "morris", "sobol", "none")
#: The most samples (``--samples``) of one sampled sweep, and the largest seed NumPy takes.
MAX_SAMPLES = 10_000
MAX_SEED = 2**32 - 1

#: Least --samples each sensitivity needs [-]: RBD-FAST N > 2M with SALib's M = 10
#: harmonics; Morris and Sobol' at least 2 trajectories / base points for a spread.
MIN_SAMPLES = {"fast": 21, "morris": 2, "sobol": 2, "none": 1}

#: Morris grid and the quantile range it spans [-].
MORRIS_LEVELS = 4
MORRIS_QUANTILES = (0.025, 0.975)

#: Unit-cube coordinates are kept this far from 0 and 1 before a quantile is taken.
EDGE = 1e-9


def uncertain_inputs(spec: Spec) -> list[Marginal]:
    """The laws of the model's uncertain inputs, in file order; a model without an
    ``uncertainty:`` section raises :class:`SpecError` naming it."""
    section = spec.model.uncertainty
    if section is None:
        raise SpecError(
            spec.path,
            "uncertainty",
            "expected an uncertainty: section (inputs with a distribution or outcomes) to "
            "sample from" + (f" in scenario '{spec.scenario}'" if spec.scenario else ""),
        )
    return list(marginals(section).values())


def check_design(
    samples: int, method: str, sensitivity: str = "fast", enough: bool = True
) -> None:
    """Sample count 1 to :data:`MAX_SAMPLES` (with ``enough``, at least :data:`MIN_SAMPLES` of
    the sensitivity), a known method and sensitivity; else :class:`SpecError` naming the
    option."""
    if not 1 <= samples <= MAX_SAMPLES:
        raise SpecError(
            "--samples", str(samples), f"expected a number of samples 1 to {MAX_SAMPLES}"
        )
    if method not in METHODS:
        raise SpecError(
            "--method",
            method,
            f"unknown method{did_you_mean(method, METHODS)}; expected one of {', '.join(METHODS)}",
        )
    if sensitivity not in SENSITIVITY:
        raise SpecError(
            "--sensitivity",
            sensitivity,
            f"unknown sensitivity{did_you_mean(sensitivity, SENSITIVITY)}; expected one of "
            f"{', '.join(SENSITIVITY)}",
        )
    least = MIN_SAMPLES[sensitivity]
    if enough and samples < least:
        why = {
            "fast": "RBD-FAST needs N > 2M = 20 points (M = 10 harmonics)",
            "morris": "Morris needs 2 trajectories for the spread of its effects",
            "sobol": "Sobol' indices need 2 base points for a variance",
        }[sensitivity]
        raise SpecError(
            "--samples",
            str(samples),
            f"expected at least {least} samples for --sensitivity {sensitivity} ({why}); "
            "or --sensitivity none",
        )


def check_seed(seed: int) -> None:
    """The seed of a sampling design is 0 to 2^32 - 1 (what NumPy and SALib take)."""
    if not 0 <= seed <= MAX_SEED:
        raise SpecError("--seed", str(seed), f"expected a seed 0 to {MAX_SEED}")


def design_size(n: int, d: int, sensitivity: str) -> int:
    """Members of a design of ``n`` samples on ``d`` inputs: ``n (d + 1)`` Morris points,
    ``n (d + 2)`` Saltelli points (first order), else ``n``."""
    if sensitivity == "morris":
        return n * (d + 1)
    if sensitivity == "sobol":
        return n * (d + 2)
    return n


def problem(inputs: Sequence[Marginal]) -> dict[str, Any]:
    """SALib's problem: the inputs on the unit cube."""
    return {**problem_dims(len(inputs)), "names": [m.name for m in inputs]}


def unit_design(n: int, d: int, method: str, seed: int, sensitivity: str = "fast") -> np.ndarray:
    """The design ``U`` (rows: members, columns: inputs) on the unit cube (module docstring).

    ``sensitivity`` 'morris' or 'sobol' replaces ``method`` by the design those indices need:
    n Morris trajectories, or SALib's Saltelli scheme with n base points.
    """
    check_design(n, method, sensitivity, enough=False)
    if sensitivity == "morris":
        from SALib.sample import morris

        u = morris.sample(problem_dims(d), n, num_levels=MORRIS_LEVELS, seed=seed)
        lo, hi = MORRIS_QUANTILES
        return lo + (hi - lo) * u
    if sensitivity == "sobol":
        from SALib.sample import sobol

        with warnings.catch_warnings():  # SALib warns for n not a power of 2; it still works
            warnings.simplefilter("ignore", UserWarning)
            return sobol.sample(problem_dims(d), n, calc_second_order=False, seed=seed)
    rng = np.random.default_rng(seed)
    if method == "lhs":
        return qmc.LatinHypercube(d=d, rng=rng).random(n)
    if method == "sobol":
        with warnings.catch_warnings():  # balance needs n = 2^m; other n are still a fine design
            warnings.simplefilter("ignore", UserWarning)
            return qmc.Sobol(d=d, scramble=True, rng=rng).random(n)
    return rng.random((n, d))


def problem_dims(d: int) -> dict[str, Any]:
    """SALib's problem of ``d`` unnamed inputs on the unit cube."""
    return {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0.0, 1.0]] * d}


def quantile(m: Marginal, u: np.ndarray) -> list[Any]:
    """Values of input ``m`` at unit coordinates ``u``: ``F^-1(u)`` (module docstring)."""
    u = np.clip(np.asarray(u, dtype=float), EDGE, 1 - EDGE)
    if m.outcomes is not None:
        cum = np.cumsum([p for _, _, p in m.outcomes])
        idx = np.minimum(np.searchsorted(cum, u, side="right"), len(m.outcomes) - 1)
        return [m.outcomes[i][1] for i in idx]
    return [float(v) for v in m.dist.ppf(u)]


def sample_members(spec: Spec, u: np.ndarray, prefix: str | None = None) -> list[Member]:
    """One member per row of ``u``: the scenario of ``spec`` with each input at its quantile."""
    inputs = uncertain_inputs(spec)
    if u.shape[1] != len(inputs):
        raise ValueError(f"design has {u.shape[1]} columns for {len(inputs)} inputs")
    cols = [quantile(m, u[:, i]) for i, m in enumerate(inputs)]
    head = prefix or spec.scenario or "base"
    width = max(4, len(str(len(u) - 1)))
    return [
        Member(
            name=f"{head}_{r:0{width}d}",
            scenario=spec.scenario,
            overrides=tuple((m.path, cols[i][r]) for i, m in enumerate(inputs)),
            option="--samples",
        )
        for r in range(len(u))
    ]


def sensitivity(
    inputs: Sequence[Marginal], u: np.ndarray, ys: dict[str, np.ndarray], kind: str, seed: int = 0
) -> xr.Dataset:
    """Global sensitivity of each output in ``ys`` (one value per row of ``u``) to each input,
    with SALib (module docstring); dims ``input`` and ``output``. Members that failed (NaN)
    leave a design incomplete: Morris and Sobol' then give NaN, RBD-FAST uses the rest."""
    from SALib.analyze import morris, rbd_fast, sobol

    prob = problem(inputs)
    names = list(ys)
    shape = (len(inputs), len(names))
    out: dict[str, np.ndarray] = {}
    for j, name in enumerate(names):
        y = np.asarray(ys[name], dtype=float)
        ok = np.isfinite(y)
        if kind == "morris":
            lo, hi = MORRIS_QUANTILES
            res = (
                morris.analyze(prob, (u - lo) / (hi - lo), y, num_levels=MORRIS_LEVELS, seed=seed)
                if ok.all()
                else None
            )
            for key in ("mu_star", "sigma", "mu_star_conf"):
                out.setdefault(f"morris_{key}", np.full(shape, np.nan))[:, j] = (
                    res[key] if res else np.nan
                )
        elif kind == "sobol":
            res = sobol.analyze(prob, y, calc_second_order=False, seed=seed) if ok.all() else None
            for key in ("S1", "ST", "S1_conf", "ST_conf"):
                out.setdefault(f"sobol_{key}", np.full(shape, np.nan))[:, j] = (
                    res[key] if res else np.nan
                )
        elif kind == "fast":
            s1, conf = np.full(len(inputs), np.nan), np.full(len(inputs), np.nan)
            if ok.sum() >= MIN_SAMPLES["fast"] and np.ptp(y[ok]) > 0:
                res = rbd_fast.analyze(prob, u[ok], y[ok], seed=seed)
                s1, conf = np.asarray(res["S1"]), np.asarray(res["S1_conf"])
            out.setdefault("fast_S1", np.full(shape, np.nan))[:, j] = s1
            out.setdefault("fast_S1_conf", np.full(shape, np.nan))[:, j] = conf
    ds = xr.Dataset(
        {k: (("input", "output"), v) for k, v in out.items()},
        coords={
            "input": np.array([m.name for m in inputs], dtype=object),
            "output": np.array(names, dtype=object),
            "input_path": ("input", np.array([m.path for m in inputs], dtype=object)),
        },
    )
    long = {
        "morris_mu_star": "Morris mu*: mean |elementary effect| over a grid step of the input",
        "morris_sigma": "Morris sigma: spread of the elementary effects (interaction)",
        "morris_mu_star_conf": "bootstrap confidence half-width of mu*",
        "sobol_S1": "first-order Sobol' index",
        "sobol_ST": "total Sobol' index",
        "sobol_S1_conf": "bootstrap 95% confidence half-width of the first-order Sobol' index",
        "sobol_ST_conf": "bootstrap 95% confidence half-width of the total Sobol' index",
        "fast_S1": "first-order index (RBD-FAST)",
        "fast_S1_conf": "bootstrap 95% confidence half-width of the RBD-FAST index",
    }
    for k in map(str, ds.data_vars):
        ds[k].attrs.update(
            long_name=long[k], units="output units" if k.startswith("morris") else "1"
        )
    ds.attrs["sensitivity"] = kind
    return ds


def tornado(u: np.ndarray, y: np.ndarray, names: Sequence[str], share: float = 0.2) -> xr.Dataset:
    """Tornado bars: mean output over members whose input lies in its lowest ``share`` of the
    unit range, and in its highest; sorted by the swing ``|high - low|``, largest first."""
    y = np.asarray(y, dtype=float)
    lo = np.array(
        [
            np.nanmean(np.where(u[:, i] <= share, y, np.nan))
            if (u[:, i] <= share).any()
            else np.nan
            for i in range(u.shape[1])
        ]
    )
    hi = np.array(
        [
            np.nanmean(np.where(u[:, i] >= 1 - share, y, np.nan))
            if (u[:, i] >= 1 - share).any()
            else np.nan
            for i in range(u.shape[1])
        ]
    )
    order = np.argsort(-np.nan_to_num(np.abs(hi - lo)))
    return xr.Dataset(
        {"low": ("input", lo[order]), "high": ("input", hi[order])},
        coords={"input": np.array(names, dtype=object)[order]},
        attrs={
            "share": share,
            "median": float(np.nanmedian(y)) if np.isfinite(y).any() else np.nan,
        },
    )


#: The index each sensitivity ranks inputs by, and its confidence half-width.
RANK_BY = {
    "fast": ("fast_S1", "fast_S1_conf"),
    "sobol": ("sobol_ST", "sobol_ST_conf"),
    "morris": ("morris_mu_star", "morris_mu_star_conf"),
}


def ranking(ds: xr.Dataset, output: str) -> xr.Dataset:
    """Inputs ranked by their sensitivity index on ``output``, largest first, with its
    confidence interval: ``index``, ``low`` = index - half-width, ``high`` = index + half-width
    (dim ``input``; attrs ``measure`` names the index). What a sampled sweep's tornado draws:
    the order of importance, and whether two inputs are told apart (overlapping intervals).
    An index that could not be computed (NaN) ranks last."""
    kind = str(ds.attrs.get("sensitivity", ""))
    if kind not in RANK_BY:
        raise ValueError(f"no sensitivity indices in this sweep (sensitivity '{kind}')")
    name, conf = RANK_BY[kind]
    idx = ds[name].sel(output=output).values.astype(float)
    half = ds[conf].sel(output=output).values.astype(float)
    order = np.argsort(-np.nan_to_num(idx, nan=-np.inf), kind="stable")
    return xr.Dataset(
        {
            "index": ("input", idx[order]),
            "low": ("input", (idx - half)[order]),
            "high": ("input", (idx + half)[order]),
        },
        coords={"input": ds["input"].values[order]},
        attrs={"measure": ds[name].attrs.get("long_name", name), "output": output},
    )
