"""The README documents what the code does: its set-up commands and the report schema."""

from __future__ import annotations

from pathlib import Path

from twin.report import VARIABLES

ROOT = Path(__file__).resolve().parents[1]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    lines = (ROOT / "README.md").read_text().splitlines()
    block = lines[lines.index("```bash") + 1 : lines.index("```bash") + 3]
    assert "twin solve models/baseline.yaml" in block[0] and "--out" in block[0]
    assert "pytest" in block[1]
    assert block[1] in (ROOT / ".ci" / "run").read_text()


def test_every_report_variable_is_documented() -> None:
    text = (ROOT / "README.md").read_text()
    for name in VARIABLES:
        assert f"| `{name}` |" in text, name


def test_readme_python_script_runs_in_about_ten_lines(tmp_path: Path, monkeypatch) -> None:
    """The one-call API example runs as printed (from a copy of the repository's models)."""
    import shutil

    text = (ROOT / "README.md").read_text()
    block = text.split("## Python in one call", 1)[1].split("```python\n", 1)[1].split("```")[0]
    assert len(block.strip().splitlines()) <= 12
    shutil.copytree(ROOT / "models", tmp_path / "models")
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})
    assert (tmp_path / "capacity.png").exists() and (tmp_path / "neocloud_8pct.nc").exists()
