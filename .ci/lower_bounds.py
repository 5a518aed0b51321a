"""Print pip constraints pinning every dependency of pyproject.toml to
the oldest release line it allows (``pyomo>=6.8`` -> ``pyomo==6.8.*``: the lowest minor version, with
its bug-fix releases).

``python .ci/lower_bounds.py [extra ...] > low.txt`` then ``pip install -c low.txt -e .``: CI
installs the oldest versions twin says it works with, so a lower bound that is too low fails there.
``--requirements`` prints the same pins with each dependency's extras (``dask[distributed]==...``),
for ``pip install -r`` (a constraints file may not name extras).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
requirements = list(project["dependencies"])
as_requirements = "--requirements" in sys.argv[1:]
for extra in [a for a in sys.argv[1:] if a != "--requirements"]:
    requirements += project["optional-dependencies"][extra]
for req in requirements:
    found = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*>=\s*([^,;\s]+)", req)
    if found:
        extras = (found.group(2) or "") if as_requirements else ""
        print(f"{found.group(1)}{extras}=={found.group(3)}.*")
