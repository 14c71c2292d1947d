"""environment.yml (conda users) and requirements.lock (what `make` installs) name the same packages and versions."""

from __future__ import annotations

import re
import sys

import yaml

from analysis.core import paths


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, str]:
    pins = {}
    for line in (paths.ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not an exact pin"
            pins[_norm(name)] = version
    return pins


def _environment() -> tuple[str, dict[str, str]]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pins: dict[str, str] = {}
    python = ""
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for item in dep["pip"]:
                name, _, version = item.partition("==")
                pins[_norm(name)] = version
        elif dep.startswith("python="):
            python = dep.split("=", 1)[1]
        elif dep != "pip":
            name, _, version = dep.partition("=")
            pins[_norm(name)] = version
    return python, pins


def _direct() -> list[str]:
    lines = (paths.ROOT / "requirements.in").read_text().splitlines()
    return [_norm(x.strip()) for x in lines if x.strip() and not x.startswith("#")]


def test_every_direct_dependency_is_pinned_in_the_lock():
    lock = _lock()
    missing = [d for d in _direct() if d not in lock]
    assert not missing, f"requirements.in names packages missing from requirements.lock: {missing}"


def test_environment_yml_matches_the_lock():
    python, env = _environment()
    lock = _lock()
    assert set(env) == set(_direct()), "environment.yml and requirements.in must name the same direct dependencies"
    drift = {name: (version, lock.get(name)) for name, version in env.items() if lock.get(name) != version}
    assert not drift, f"environment.yml versions differ from requirements.lock (env, lock): {drift}"
    assert python == f"{sys.version_info.major}.{sys.version_info.minor}", "environment.yml pins another Python"


def test_installed_packages_match_the_lock():
    from importlib import metadata

    lock = _lock()
    wrong = {}
    for name in _direct():
        installed = metadata.version(name)
        if installed != lock[name]:
            wrong[name] = (installed, lock[name])
    assert not wrong, f"the venv differs from requirements.lock (installed, lock): {wrong}; run `make venv`"
