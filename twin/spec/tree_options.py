"""The options of an ``uncertainty:`` section: how its scenario tree is made
(:class:`TreeOptions`), its risk measure (:class:`Risk`) and progressive hedging's settings
(:class:`Hedging`); :mod:`twin.spec.uncertainty` holds the inputs and the section."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from twin.spec.base import Frozen


class TreeOptions(Frozen):
    """How the scenario tree is made from the inputs."""

    method: Literal["enumerate", "sample"] = Field(
        "enumerate",
        description="enumerate: every combination of outcomes (distributions discretized into "
        "'points' equal-probability points); sample: 'samples' joint draws per stage [-]",
    )
    points: int = Field(3, ge=1, le=50, description="Points per distribution when enumerating [-]")
    samples: int = Field(10, ge=1, le=10_000, description="Branches per stage when sampling [-]")
    seed: int = Field(0, ge=0, description="Seed of the sampler [-]")
    max_leaves: int = Field(
        5000, ge=1, description="Largest tree allowed (the extensive form grows with it) [-]"
    )


def unread_options(tree: TreeOptions) -> list[str]:
    """The options ``tree``'s method does not read (``samples`` and ``seed`` when enumerating,
    ``points`` when sampling) that hold a value other than their default: each would be
    silently ignored. One at its default (the shipped scenario's ``points: 3`` when ``--set``
    switches the method to ``sample``) changes nothing and passes."""
    keys = ("points",) if tree.method == "sample" else ("samples", "seed")
    return [k for k in keys if getattr(tree, k) != TreeOptions.model_fields[k].default]


def unread_problem(tree: TreeOptions, given: list[str]) -> str:
    """Why the options ``given`` (of :func:`unread_options`) are refused."""
    other = "enumerate" if tree.method == "sample" else "sample"
    return (
        f"{' and '.join(given)} given with method {tree.method}, which does not read "
        f"{'them' if len(given) > 1 else 'it'}; expected method {other} or no "
        f"{' and no '.join(given)} (or "
        f"{' and '.join(f'{k}: {TreeOptions.model_fields[k].default}' for k in given)}, "
        "the default)"
    )


class Risk(Frozen):
    """Risk measure of the stochastic objective: ``E[NPV] + weight * CVaR_level(NPV)``."""

    cvar_level: float = Field(
        0.95, gt=0.0, lt=1.0, description="CVaR level alpha: the mean of the worst 1-alpha [-]"
    )
    cvar_weight: float = Field(0.0, ge=0.0, description="Weight lambda on CVaR [-]")
    npv_floor_musd: float | None = Field(
        None, description="Least CVaR of NPV allowed (a constraint); empty: none [$M]"
    )


class Hedging(Frozen):
    """Progressive hedging settings (used with ``twin solve --engine ph`` only)."""

    iterations: int = Field(200, ge=1, le=100_000, description="Iteration limit [-]")
    threshold: float = Field(
        1e-6,
        gt=0.0,
        description="PH's own stop: the mean |x - xbar| of the tied decisions (MW, thousand "
        "chips) below it ends the run; converged only if the gap is met too [-]",
    )
    rho_scale: float = Field(
        0.3,
        gt=0.0,
        description="rho of a decision = rho_scale x |its objective coefficient| / max(1, its "
        "mean spread |x - xbar| across the leaves alone); 0.3 took 6 PH iterations to 0.5% on "
        "the 27-leaf small benchmark where 1 took 9 [-]",
    )
    gap: float = Field(
        0.005,
        gt=0.0,
        lt=1.0,
        description="Stop when (outer - inner bound) / |inner bound| falls below it; a run that "
        "ends above it is not converged (exit 3) [-]",
    )


__all__ = ["Hedging", "Risk", "TreeOptions", "unread_options", "unread_problem"]
