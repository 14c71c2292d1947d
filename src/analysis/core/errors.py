"""The project's own error types: each names the file, line/record and field it is about.

Readers, loaders and parameter checks raise these (never a bare traceback from deep inside pandas), so the
command line, ``make reports`` and the notebooks can print one clear line.
"""

from __future__ import annotations

from pathlib import Path


class VigieError(Exception):
    """Base class: a problem with the user's input that the user can fix."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """``file:line: [field] message`` — the form printed by the command line and ``make reports``."""
        where = ""
        if self.path:
            where = Path(self.path).name if Path(self.path).is_absolute() else self.path
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        field = f"[{self.field}] " if self.field else ""
        return f"{where}{field}{self.message}"


class InputFormatError(VigieError):
    """A file cannot be read as the format it claims (or was detected) to be."""


class SchemaError(VigieError):
    """A table does not satisfy its schema (missing column, value out of range, text in a numeric column)."""


class ParameterError(VigieError):
    """A report parameter is missing, of the wrong type, out of range or names something unknown."""


class DataIntegrityError(VigieError):
    """A data file does not match its recorded hash (raw manifest or external registry)."""


class MissingDatasetError(VigieError):
    """An external dataset is not in ``data/external/``; the message says how to get it."""


class StorageError(VigieError):
    """A file or folder could not be written (disk full, permission denied, read-only file system); the message
    names the path and what to do."""


class BusyError(VigieError):
    """Another run holds the lock on a folder (``reports/``) and did not release it in time."""
