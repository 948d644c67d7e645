"""pyproject.toml: versions pinned in one place, package data that exists, a build backend that reads it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, separator, version = line.partition("==")
            assert separator and version, f"constraints.txt pins exactly: {line!r}"
            assert canonicalize_name(name) not in pins, f"{name} is pinned twice"
            pins[canonicalize_name(name)] = version
    return pins


def _requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared += extra
    return [Requirement(text) for text in declared]


def test_exact_versions_live_in_constraints_txt_alone() -> None:
    pins = _pins()
    for requirement in _requirements():
        assert not any(spec.operator == "==" for spec in requirement.specifier), f"{requirement} pins in pyproject"
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} has no pin in constraints.txt"
        # The pin satisfies what pyproject asks for, or pip would refuse the pair.
        assert SpecifierSet(str(requirement.specifier)).contains(pins[name]), f"{requirement} vs {pins[name]}"


def test_every_package_data_pattern_matches_a_file() -> None:
    for package, patterns in PYPROJECT["tool"]["setuptools"]["package-data"].items():
        directory = ROOT.joinpath(*package.split("."))
        for pattern in patterns:
            assert list(directory.glob(pattern)), f"{package}: {pattern} matches nothing"


def test_the_build_backend_reads_the_licence_expression() -> None:
    # A PEP 639 licence string needs setuptools 77 or later.
    assert isinstance(PYPROJECT["project"]["license"], str)
    (backend,) = [Requirement(r) for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    lowest = min(
        (spec.version for spec in backend.specifier if spec.operator == ">="),
        key=lambda v: tuple(map(int, v.split("."))),
    )
    assert int(re.match(r"\d+", lowest).group()) >= 77  # type: ignore[union-attr]
