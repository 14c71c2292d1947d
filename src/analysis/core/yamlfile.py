"""Reading the project's YAML data files (theme dictionary, institution aliases, parameters) with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analysis.core import paths
from analysis.core.errors import SchemaError, VigieError


def read_yaml(path: str | Path, what: str, error: type[VigieError] = SchemaError) -> Any:
    """Parse ``path``; a missing file or a syntax error raises ``error`` naming the file (and line)."""
    path = Path(path)
    where = paths.relative(path) if path.is_absolute() else str(path)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise error(f"{what} not found", path=where) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise error(f"invalid YAML: {getattr(exc, 'problem', exc)}", path=where,
                    line=None if mark is None else mark.line + 1) from None
