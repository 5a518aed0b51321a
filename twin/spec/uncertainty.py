"""The ``uncertainty:`` section of a model file: uncertain inputs, when each becomes known.

An uncertain input is named by the same dotted path ``--set`` accepts
(``tenants.xai.demand_k_h100e``)
and has either discrete ``outcomes`` (value and probability each) or a continuous ``distribution``:

- ``normal``: ``mean``, ``sd``; optional truncation bounds ``low``/``high``;
- ``lognormal``: ``mean``, ``sd`` of the value itself (not of its log), so
  ``sigma^2 = ln(1 + sd^2/mean^2)``, ``mu = ln(mean) - sigma^2/2``; optional ``low``/``high``;
- ``triangular``: ``low``, ``mode``, ``high``;
- ``uniform``: ``low``, ``high``.

Bounds truncate (the density is renormalised on ``[low, high]``), they do not clip. ``known`` is the
date the value is revealed: a stage boundary of the scenario tree, strictly inside the horizon.
Decisions of a period that starts before ``known`` are taken without knowing the value.

:func:`marginals` turns the section into one :class:`Marginal` per input, each with a frozen
``scipy.stats`` distribution (``.dist``) or a discrete outcome list (``.outcomes``), and
:meth:`Marginal.discretize` / :meth:`Marginal.sample` give the points a tree branches on.
:func:`twin.spec.uncertainty_checks.check_uncertainty` validates the paths, dates and values
against the whole model.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Self

import numpy as np
from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from twin.spec.base import Frozen
from twin.spec.names import Name, names_problem
from twin.spec.tree_options import Hedging, Risk, TreeOptions

#: Largest gap allowed between the sum of outcome probabilities and 1 [-].
PROBABILITY_TOLERANCE = 1e-6


class Outcome(Frozen):
    """One discrete outcome of an uncertain input."""

    value: Any = Field(description="The value the path takes in this outcome [unit of the path]")
    probability: float = Field(
        le=1.0, description="Probability of the outcome, in (0, 1]: one that never happens is "
        "left out [-]",
    )  # fmt: skip
    label: Name | None = Field(None, description="Short name for reports; default: the value [-]")

    @field_validator("probability")
    @classmethod
    def _happens(cls, value: float) -> float:
        """A probability of 0 would make a leaf of weight 0, whose per-leaf values (duals
        divided by the leaf's probability) do not exist: refused, not a crash at the report."""
        if value <= 0:
            raise ValueError(
                f"expected a probability in (0, 1], got {value:g} (an outcome that never happens: "
                "leave it out)"
            )
        return value


_CUT = "Lower cut: the density is renormalised above it; empty: none [unit of the path]"
_TOP = "Upper cut: the density is renormalised below it; empty: none [unit of the path]"


def _ordered(low: float | None, high: float | None) -> None:
    if low is not None and high is not None and not low < high:
        raise ValueError(f"expected low < high, got low={low}, high={high}")


class _MeanSd(Frozen):
    """A law by mean and standard deviation, optionally truncated to ``[low, high]``."""

    mean: float = Field(description="Mean of the value [unit of the path]")
    sd: float = Field(gt=0.0, description="Standard deviation of the value, > 0 [unit of the path]")
    low: float | None = Field(None, description=_CUT)
    high: float | None = Field(None, description=_TOP)

    @model_validator(mode="after")
    def _cuts(self) -> Self:
        _ordered(self.low, self.high)
        return self


class Normal(_MeanSd):
    """A normal law by mean and standard deviation, optionally truncated to ``[low, high]``."""

    kind: Literal["normal"] = Field(description="Family of the distribution [-]")


class LogNormal(_MeanSd):
    """A lognormal law by the mean and standard deviation of the value itself (not of its log),
    optionally truncated to ``[low, high]``; it lives on ``(0, inf)``."""

    kind: Literal["lognormal"] = Field(description="Family of the distribution [-]")

    @model_validator(mode="after")
    def _positive(self) -> Self:
        if self.mean <= 0:
            raise ValueError(f"a lognormal needs mean > 0, got {self.mean}")
        if self.high is not None and self.high <= 0:
            raise ValueError(f"a lognormal lives on (0, inf); expected high > 0, got {self.high}")
        return self


class _Support(Frozen):
    """A law on a bounded support ``[low, high]``."""

    low: float = Field(description="Lower end of the support [unit of the path]")
    high: float = Field(description="Upper end of the support [unit of the path]")

    @model_validator(mode="after")
    def _order(self) -> Self:
        _ordered(self.low, self.high)
        return self


class Uniform(_Support):
    """A uniform law on ``[low, high]``."""

    kind: Literal["uniform"] = Field(description="Family of the distribution [-]")


class Triangular(_Support):
    """A triangular law on ``[low, high]`` peaking at ``mode``."""

    kind: Literal["triangular"] = Field(description="Family of the distribution [-]")
    mode: float = Field(description="Mode, low <= mode <= high [unit of the path]")

    @model_validator(mode="after")
    def _peak(self) -> Self:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"expected low <= mode <= high, got mode={self.mode}")
        return self


def _kind(value: Any) -> Any:
    """The ``kind`` of a distribution as written (a mapping) or built (a model)."""
    return value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)


Distribution = Annotated[
    Annotated[Normal, Tag("normal")]
    | Annotated[LogNormal, Tag("lognormal")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Uniform, Tag("uniform")],
    Discriminator(
        _kind,
        custom_error_type="distribution_kind",
        custom_error_message="expected a kind: normal, lognormal, triangular or uniform",
    ),
]
"""A continuous distribution of an uncertain input, one of four kinds by ``kind`` (module
docstring). Its kind is the tag pydantic puts in an error's location
(:func:`twin.spec.validation.translate` drops it)."""


class UncertainInput(Frozen):
    """An input whose value is revealed at ``known``: discrete outcomes or a distribution."""

    path: str = Field(description="Dotted path as --set takes it, e.g. tenants.x.demand_k_h100e")
    known: dt.date = Field(description="Date the value becomes known (a stage boundary) [date]")
    outcomes: list[Outcome] | None = Field(
        None, min_length=1, description="Discrete outcomes, probabilities summing to 1 [-]"
    )
    distribution: Distribution | None = Field(None, description="A continuous distribution [-]")

    @model_validator(mode="after")
    def _one_law(self) -> UncertainInput:
        if (self.outcomes is None) == (self.distribution is None):
            raise ValueError("give exactly one of 'outcomes' and 'distribution'")
        if self.outcomes is not None:
            total = sum(o.probability for o in self.outcomes)
            if abs(total - 1.0) > PROBABILITY_TOLERANCE:
                raise ValueError(f"outcome probabilities sum to {total:g}; expected 1")
            labels = [_label(o) for o in self.outcomes]
            if len(set(labels)) != len(labels):
                raise ValueError(f"expected distinct outcome labels/values, got {labels}")
            problem = names_problem(labels, "outcomes")  # one rule for every name: no twins
            if problem:
                raise ValueError(problem)
        return self


class Uncertainty(Frozen):
    """The uncertainty section: uncertain inputs by name, the tree and the risk measure."""

    inputs: dict[str, UncertainInput] = Field(
        min_length=1, description="Uncertain inputs by name [-]"
    )
    tree: TreeOptions = Field(default_factory=TreeOptions, description="Tree construction [-]")
    risk: Risk = Field(default_factory=Risk, description="Risk measure [-]")
    hedging: Hedging = Field(default_factory=Hedging, description="Progressive hedging [-]")
    value_of_information: bool = Field(
        True,
        description="Also solve wait-and-see (each leaf alone), the mean-value plan and EEV, "
        "for EVPI and VSS; false: the stochastic program alone, about half the work [-]",
    )

    @field_validator("inputs")
    @classmethod
    def _input_names(cls, value: dict[str, UncertainInput]) -> dict[str, UncertainInput]:
        """Each input's name is a name and no two print alike: reports label leaves by them."""
        problem = names_problem(value, "inputs")
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _tree_size(self) -> Uncertainty:
        n = leaf_count(self)
        if n > self.tree.max_leaves:
            raise ValueError(
                f"the tree would have {n} leaves; expected at most tree.max_leaves = "
                f"{self.tree.max_leaves} (fewer inputs, points or samples, or a larger limit)"
            )
        return self


def leaf_count(section: Uncertainty) -> int:
    """Number of leaves of the tree: the product over stages of the branches per node."""
    by_date: dict[dt.date, list[UncertainInput]] = {}
    for u in section.inputs.values():
        by_date.setdefault(u.known, []).append(u)
    n = 1
    for inputs in by_date.values():
        if section.tree.method == "sample":
            n *= section.tree.samples
        else:
            n *= math.prod(
                len(u.outcomes) if u.outcomes is not None else section.tree.points for u in inputs
            )
    return n


def _label(o: Outcome) -> str:
    return o.label if o.label is not None else str(o.value)


@dataclass(frozen=True)
class Marginal:
    """One uncertain input's law: ``dist`` (frozen scipy.stats) or ``outcomes`` (discrete).

    ``outcomes`` is a tuple of ``(label, value, probability)``; exactly one of the two is set.
    """

    name: str
    path: str
    known: dt.date
    dist: Any = None
    outcomes: tuple[tuple[str, Any, float], ...] | None = None

    def discretize(self, points: int) -> tuple[tuple[str, Any, float], ...]:
        """Discrete outcomes as they are, or ``points`` equal-probability quantiles of ``dist``.

        Point i of n is the quantile ``F^-1((i + 1/2)/n)``, probability ``1/n`` each (the
        midpoint rule on the quantile function: exact for the median at n = 1).
        """
        if self.outcomes is not None:
            return self.outcomes
        qs = (np.arange(points) + 0.5) / points
        values = self.dist.ppf(qs)
        return tuple((f"q{q:.3g}", float(v), 1.0 / points) for q, v in zip(qs, values, strict=True))

    def sample(self, n: int, rng: np.random.Generator) -> tuple[tuple[str, Any, float], ...]:
        """``n`` independent draws, probability ``1/n`` each (discrete outcomes by their law)."""
        if self.outcomes is not None:
            idx = rng.choice(len(self.outcomes), size=n, p=[o[2] for o in self.outcomes])
            return tuple((self.outcomes[i][0], self.outcomes[i][1], 1.0 / n) for i in idx)
        draws = self.dist.rvs(size=n, random_state=rng)
        return tuple((f"s{i}", float(v), 1.0 / n) for i, v in enumerate(np.atleast_1d(draws)))


def frozen_distribution(d: Distribution) -> Any:
    """A frozen ``scipy.stats`` distribution for ``d``, truncated to ``[low, high]`` if given."""
    from scipy import stats  # only for a model with uncertain inputs: ~0.6 s to import

    if isinstance(d, Uniform):
        return stats.uniform(loc=d.low, scale=d.high - d.low)
    if isinstance(d, Triangular):
        width = d.high - d.low
        return stats.triang(c=(d.mode - d.low) / width, loc=d.low, scale=width)
    lo = -math.inf if d.low is None else d.low
    hi = math.inf if d.high is None else d.high
    if not isinstance(d, LogNormal):
        a, b = (lo - d.mean) / d.sd, (hi - d.mean) / d.sd
        return stats.truncnorm(a=a, b=b, loc=d.mean, scale=d.sd)
    sigma = math.sqrt(math.log1p((d.sd / d.mean) ** 2))
    mu = math.log(d.mean) - sigma**2 / 2
    if d.low is None and d.high is None:
        return stats.lognorm(s=sigma, scale=math.exp(mu))
    # log X ~ N(mu, sigma) truncated to [ln lo, ln hi]: X = exp of a truncated normal
    log_lo = -math.inf if lo <= 0 else math.log(lo)
    return _exp_of(
        stats.truncnorm(a=(log_lo - mu) / sigma, b=(math.log(hi) - mu) / sigma, loc=mu, scale=sigma)
    )


class _ExpOf:
    """``exp(Y)`` for a frozen scipy distribution Y: the ppf/cdf/rvs/mean a tree needs."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def ppf(self, q: Any) -> Any:
        return np.exp(self.inner.ppf(q))

    def cdf(self, x: Any) -> Any:
        return self.inner.cdf(np.log(np.maximum(x, 1e-300)))

    def rvs(self, size: Any = None, random_state: Any = None) -> Any:
        return np.exp(self.inner.rvs(size=size, random_state=random_state))

    def mean(self) -> float:
        return float(self.inner.expect(np.exp))

    def support(self) -> tuple[float, float]:
        lo, hi = self.inner.support()
        return float(np.exp(lo)), float(np.exp(hi))


def _exp_of(inner: Any) -> Any:
    return _ExpOf(inner)


def marginals(section: Uncertainty) -> dict[str, Marginal]:
    """Every uncertain input as a :class:`Marginal`, in the file's order.

    A distribution becomes a frozen ``scipy.stats`` object (``truncnorm`` for a normal, ``lognorm``
    or ``exp`` of a truncated normal for a lognormal, ``triang``, ``uniform``): use ``.ppf``,
    ``.cdf``, ``.rvs(size, random_state)``, ``.mean()``. Discrete outcomes become
    ``(label, value, probability)`` tuples.
    """
    out = {}
    for name, u in section.inputs.items():
        if u.distribution is not None:
            out[name] = Marginal(name, u.path, u.known, dist=frozen_distribution(u.distribution))
        else:
            outs = tuple((_label(o), o.value, o.probability) for o in u.outcomes or ())
            out[name] = Marginal(name, u.path, u.known, outcomes=outs)
    return out
