"""Shared test fixtures: small models built in code (no files), and a copy of the shipped model."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from twin.spec.horizon import ENERGY_ONLY

ROOT = Path(__file__).resolve().parents[1]
TEST_SOURCE = "assumption: test value"
#: the shipped baseline in the energy-only period form: the baseline plans in hours (4 + 2
#: representative days of 6 segments, ~25 s a plan); tests of what is not power in hours take
#: the period form, in a sixth of the time (the golden file pins every scenario in both forms)
PERIOD_FORM = [ENERGY_ONLY]
#: the same for the command line
PERIOD_FORM_ARGS = ["--set", "=".join(ENERGY_ONLY)]
#: the shipped baseline over six years without the end buffer, in the period form: a report with
#: every variable and chart of the full one in about a third of the solve, solved once (no
#: tie-break's second solve): tests of structure, not of figures
SHORT_BASELINE = [
    ("horizon.years", 6),
    ("horizon.end_effects", "none"),
    ("solver.tie_break", "none"),
    *PERIOD_FORM,
]


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--notebooks``: execute all planning notebooks, not only 01 and 02 (test_notebooks.py);
    ``--hours``: the long golden checks: every hourly scenario's golden results, not only the
    base's, and the quarterly scenario's (test_scenarios.py), and the 12- against 17-year check in
    hours (plan/test_end_agreement.py)."""
    parser.addoption(
        "--notebooks", action="store_true", help="execute all notebooks (several minutes of solves)"
    )
    parser.addoption(
        "--hours",
        action="store_true",
        help="the long golden checks: every scenario in hours and the quarterly one (~18 min)",
    )


def _sharing_modules() -> frozenset[str]:
    """Test modules (paths from the root, as in node ids) with a module-scoped fixture."""
    here = Path(__file__).resolve().parent
    return frozenset(
        str(f.relative_to(here.parent))
        for f in here.rglob("test_*.py")
        if 'scope="module"' in f.read_text(encoding="utf-8")
    )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist's load scheduling, but the tests of a module that shares a module-scoped
    fixture (a solved plan, a written report) go to one worker, which builds it once: with
    ``-n auto`` on 2 cores the load scheduler spread them over both and each built it (~50 s of
    CI's CPU). Another ``--dist`` given on the command line is kept."""
    from xdist.scheduler import LoadScopeScheduling

    if config.getvalue("dist") != "load":
        return None
    sharing = _sharing_modules()

    class SharedFixtures(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in sharing else nodeid

    return SharedFixtures(config, log)


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``over`` into a copy of ``base`` (a value of None deletes the key)."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def tiny_model(**over: Any) -> dict[str, Any]:
    """One site, one chip (1 kW, 1 H100e: 1000 chips = 1 MW = 1000 H100e), one internal tenant.

    Power is free and unlimited, PUE 1, availability 1, no salvage: the economics are exactly
    what each test adds.
    """
    base = {
        "name": "tiny",
        "horizon": {"start": "2030-01-01", "years": 8, "period": "year", "end_effects": "none"},
        "economics": {"discount_rate": 0.05, "salvage": False},
        "sites": {
            "s1": {
                "lat_deg": 35.0,
                "lon_deg": -90.0,
                "max_mw": 1000.0,
                "lead_months": 24,
                "capex_musd_per_mw": 1.0,
                "opex_musd_per_mw_year": 0.0,
                "pue": 1.0,
                "availability": 1.0,
                "source": TEST_SOURCE,
            }
        },
        "chips": {
            "c1": {
                "h100e": 1.0,
                "kw": 1.0,
                "price_usd": 0.0,
                "available_from": "2020-01-01",
                "life_years": 15,
                "source": TEST_SOURCE,
            }
        },
        "tenants": {
            "own": {
                "kind": "internal",
                "workload": "training",
                "lat_deg": 35.0,
                "lon_deg": -90.0,
                "demand_k_h100e": 10.0,
                "value_usd_per_h100e_hour": 1.0,
                "source": TEST_SOURCE,
            }
        },
        "power_sources": {
            "g1": {
                "site": "s1",
                "kind": "grid",
                "limit_mw": 1e4,
                "cost_usd_per_mwh": 0.0,
                "source": TEST_SOURCE,
            }
        },
    }
    return merge(base, over)


def write_tiny(folder: Path, name: str = "m.yaml", **over: Any) -> Path:
    """The tiny model over three years (``over`` as in :func:`tiny_model`) written as YAML
    to ``folder/name``, the folder made if missing."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / name
    data = tiny_model(horizon={"years": 3}, **over)
    model.write_text(yaml.safe_dump(data, allow_unicode=True))
    return model


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A copy of models/ and datasets/ in a temporary directory; returns the baseline path."""
    shutil.copytree(ROOT / "models", tmp_path / "models")
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    return tmp_path / "models" / "baseline.yaml"


#: A 10 MW site s1 online since 2029-01-01 with 10,000 c1 chips installed the same day.
FULL_SITE_EVENTS = {
    "online": {
        "date": "2029-01-01",
        "kind": "site_online",
        "site": "s1",
        "mw": 10.0,
        "source": TEST_SOURCE,
    },
    "chips": {
        "date": "2029-01-01",
        "kind": "chips_installed",
        "site": "s1",
        "chip": "c1",
        "chips": 10000.0,
        "source": TEST_SOURCE,
    },
}


def lease_of_s1(**over: Any) -> dict[str, Any]:
    """A year's whole-site lease of s1 to the tenant ``lessee`` from 2031 (``over`` replaces
    its keys)."""
    return {
        "tenant": "lessee",
        "site": "s1",
        "form": "whole_site",
        "start": "2031-01-01",
        "term_months": 12,
        "price_usd_per_h100e_hour": 1.0,
        "source": TEST_SOURCE,
        **over,
    }


def lessee(value_usd_per_h100e_hour: float) -> dict[str, Any]:
    """An external training tenant beside site s1 wanting 100,000 H100e at the given price."""
    return {
        "kind": "external",
        "workload": "training",
        "lat_deg": 35.0,
        "lon_deg": -90.0,
        "demand_k_h100e": 100.0,
        "value_usd_per_h100e_hour": value_usd_per_h100e_hour,
        "source": TEST_SOURCE,
    }


def leased_site_model(
    contracts: dict | None = None, offers: dict | None = None, **over: Any
) -> dict[str, Any]:
    """The full 10 MW site s1 in quarters over 2030-2032: own work worth $3/H100e-h, the lessee
    $0.5/h, no new chips on sale (tests/plan/test_leases.py prices it by hand)."""
    return tiny_model(
        horizon={"period": "quarter", "years": 3},
        sites={"s1": {"max_mw": 10.0}},
        chips={"c1": {"available_until": "2029-06-01"}},
        tenants={
            "own": {"demand_k_h100e": 100.0, "value_usd_per_h100e_hour": 3.0},
            "lessee": lessee(0.5),
        },
        events=FULL_SITE_EVENTS,
        contracts=contracts or {},
        offers=offers or {},
        **over,
    )


def leased_site(price: float, **terms: Any) -> dict[str, Any]:
    """Whole site s1 from 2030-01-01, 6-month terms, 3 months' notice."""
    return {
        "lease": {
            "tenant": "lessee",
            "site": "s1",
            "form": "whole_site",
            "start": "2030-01-01",
            "term_months": 6,
            "notice_months": 3,
            "price_usd_per_h100e_hour": price,
            "source": TEST_SOURCE,
            **terms,
        }
    }


def lease_offer(price: float, **terms: Any) -> dict[str, Any]:
    """4,000 H100e at s1 for one year, from 2030-07-01 at the earliest."""
    return {
        "q": {
            "tenant": "lessee",
            "site": "s1",
            "form": "quantity",
            "quantity_k_h100e": 4.0,
            "earliest": "2030-07-01",
            "term_months": 12,
            "notice_months": 3,
            "price_usd_per_h100e_hour": price,
            "source": TEST_SOURCE,
            **terms,
        }
    }
