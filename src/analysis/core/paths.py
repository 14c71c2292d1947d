"""Every path of the project in one place, derived from the project root.

The root is the folder holding ``pyproject.toml`` above this package (editable install), or ``VIGIE_ROOT``.
``VIGIE_EXTERNAL_DIR`` replaces ``data/external/`` (tests use it to render the reports with no external data).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Return the repository root: ``VIGIE_ROOT`` if set, else the folder above ``src/``."""
    env = os.environ.get("VIGIE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "src" / "analysis").is_dir():
            return parent
    return Path.cwd().resolve()


ROOT = project_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
EXTERNAL = Path(os.environ["VIGIE_EXTERNAL_DIR"]) if os.environ.get("VIGIE_EXTERNAL_DIR") else DATA / "external"
PRIVATE = DATA / "private"
NOTEBOOKS = ROOT / "notebooks"
PARAMS = ROOT / "params"
REPORTS = ROOT / "reports"
MANIFEST = RAW / "MANIFEST.csv"
EXTERNAL_REGISTRY = DATA / "external.yml"


def default_mirror() -> Path | None:
    """The mirror folder for external datasets: ``VIGIE_DATA_MIRROR``, else ``../shared`` when it exists."""
    env = os.environ.get("VIGIE_DATA_MIRROR")
    if env is not None:
        return Path(env)
    candidate = ROOT.parent / "shared"
    return candidate if candidate.is_dir() else None


def relative(path: Path | str) -> str:
    """Path relative to the project root when inside it (keeps absolute paths out of reports)."""
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return p.name if p.is_absolute() else p.as_posix()
