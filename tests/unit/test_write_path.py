"""One write path: no module outside an app's `actions.py` writes a model (ADR 0002).

Reads the source, not the running code, so a write added anywhere else fails here with its
file and line. A model write is:
- `x.save()` or `x.delete()` called with no positional argument (a model instance; a
  workbook's `save(path)` has one);
- `.create(`, `.bulk_create(`, `.get_or_create(`, `.update_or_create(`, `.bulk_update(` on
  anything (managers, querysets, related managers);
- `.update(...)` with keyword arguments only, on a queryset (`qs.update(status=...)`; a
  dict's `update` takes a mapping);
- `.add(`, `.remove(`, `.set(`, `.clear(` on a related manager: an attribute chain through
  a name ending in `members`, `actions`, `boards`, `leads`, `themes`, `risks` or `_set`.
"""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "lapis"
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create", "bulk_update"}
RELATED = {"add", "remove", "set", "clear"}
RELATED_NAMES = ("members", "actions", "boards", "leads", "themes", "risks", "_set")
# Where writes belong, and the only other places allowed to write:
ALLOWED = {
    "core/history.py",  # the history record itself, written inside every action
    "core/concurrency.py",  # the conditional (versioned) save that actions call
    # Data that ships with LAPIS, loaded by data migrations with the migration's historical
    # models (so they cannot go through actions, which use the live ones):
    "plans/scales.py",  # the status scales (BRAG, Hull's 4-point RAG, plain RAG)
    "quality/frameworks.py",  # the EHC plan and Ten Wishes audit frameworks
}


def _allowed(path: Path) -> bool:
    relative = path.relative_to(SRC).as_posix()
    return (path.name == "actions.py" or "/migrations/" in f"/{relative}"
            or "/actions/" in f"/{relative}" or relative in ALLOWED)


def _writes(tree: ast.AST):
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, owner = node.func.attr, node.func.value
        if isinstance(owner, ast.Name) and owner.id.endswith("actions"):
            continue  # a call of an app's actions module: the write path itself
        if any(k.arg == "commit" for k in node.keywords):
            continue  # a form's save(commit=False) builds an unsaved object
        if name in {"save", "delete"} and not node.args:
            yield node.lineno, name
        elif name in WRITES:
            yield node.lineno, name
        elif name == "update" and node.keywords and not node.args:
            yield node.lineno, name
        elif name in RELATED:
            if isinstance(owner, ast.Attribute) and owner.attr.endswith(RELATED_NAMES):
                yield node.lineno, name


def test_models_are_written_only_in_actions():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if _allowed(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [f"{path.relative_to(SRC)}:{line}: .{name}(" for line, name in _writes(tree)]
    assert not found, ("model writes outside actions.py (move them into the owning app's "
                       "actions):\n" + "\n".join(found))


def test_the_scan_finds_a_write():
    """The scan itself is tested: each shape of write it must catch, and what it must not."""
    source = """
risk.save()
Risk.objects.create(code="R1")
Action.objects.filter(ref="1").update(status=None)
board.members.add(person)
workbook.save(path)
totals.update(other)
form.save(commit=False)
actions.create(obj=obj, by=user)
"""
    found = [name for _, name in sorted(_writes(ast.parse(source)))]
    assert found == ["save", "create", "update", "add"]
