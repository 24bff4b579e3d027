"""What other apps add to the plan's pages, so that `plans` imports no feature app.

The plan sits below the apps that work with it (risks, milestones, the scorecard): they know
the plan, the plan does not know them. Each registers here from its `AppConfig.ready()`:

- an action panel, `(action, user) -> {"template": ..., "context": {...}}`, shown in a named
  place of the action page (`{% action_panels "after_progress" %}`), in `order`;
- a challenge, `(actions, *, user, partnership) -> {action id: [items with .sentence]}`: what
  the evidence says against an action's rating, shown under its status in the register (the
  scorecard's "behind its trajectory" sentence).

A panel or challenge function runs a fixed number of queries whatever the number of actions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

_panels: dict[str, list[tuple[int, str, Callable]]] = defaultdict(list)
_challenges: list[Callable] = []


def add_action_panel(place: str, name: str, panel: Callable, *, order: int = 50) -> None:
    """Show `panel(action, user)` in `place` on the action page (once per name)."""
    found = _panels[place]
    found[:] = [p for p in found if p[1] != name]
    found.append((order, name, panel))
    found.sort(key=lambda p: (p[0], p[1]))


def action_panels(place: str, action, user) -> list[dict]:
    return [panel(action, user) for _, _, panel in _panels.get(place, [])]


def add_challenge(challenge: Callable) -> None:
    """Ask `challenge(actions, user=..., partnership=...)` what disagrees with each rating."""
    if challenge not in _challenges:
        _challenges.append(challenge)


def challenges(actions, *, user, partnership) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for challenge in _challenges:
        for action_id, items in challenge(actions, user=user, partnership=partnership).items():
            out[action_id].extend(items)
    return dict(out)
