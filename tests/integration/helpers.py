"""Run `lapis` commands as a user would, and edit copies of the real workbook."""

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import HULL


def lapis(*args, **options) -> tuple[str, str]:
    """Run a lapis command; return (stdout, stderr). Raises CommandError as the CLI exits 1."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def lapis_fails(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue() + str(failure.value)


def edited_workbook(tmp_path: Path, edits: dict, name="hull.xlsx") -> Path:
    """A copy of the real workbook with cells changed: {("Improvement Plan", "K39"): "Mar-26"}."""
    path = tmp_path / name
    shutil.copy(HULL, path)
    workbook = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        workbook[sheet][cell].value = value
    workbook.save(path)
    return path
