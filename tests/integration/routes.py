"""Every route of the URL conf, found by walking it, and the ones that name a partnership's
object filled in with one partnership's objects.

Nobody lists the routes by hand: pages and downloads come from `get_resolver()`, the API's
methods from its OpenAPI document. A route is filled from the literal segment in front of each
parameter ("actions/<int:pk>" names an action, "audits/<audit_id>" an audit), so a new route
under a known collection is covered the day it is added, and a route under a new collection
is reported as unfillable rather than silently skipped.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import URLPattern, URLResolver, get_resolver

PARAM = re.compile(r"<(?:\w+:)?(\w+)>")

# Routes that take no partnership object, exempt by design (each says why).
EXEMPT = {
    # The public pages are found by partnership id and are public on purpose: they show only
    # what a partnership chose to publish (and 404 for everyone when it has not).
    "public/<int:pk>/": "public by design",
    "public/<int:pk>/you-said-we-did/": "public by design",
    "api/voice/public/<partnership_id>": "public by design",
    # Django's password reset link: a signed token, not a partnership's record.
    "accounts/reset/<uidb64>/<token>/": "auth token",
}
# Whole trees that are not the partnerships' pages: Django's admin is for staff (superusers),
# who see every partnership by design, and has its own permission checks.
EXEMPT_PREFIXES = ("admin/",)

# The collection a parameter sits under -> the kind of object it names.
COLLECTIONS = {
    "plans": "plan",
    "actions": "action",
    "changes": "change_request",
    "change-requests": "change_request",
    "indicators": "indicator",
    "sets": "scorecard_set",
    "schools": "school",
    "areas": "sef_area",
    "boards": "board",
    "board-packs": "pack",
    "compare": "other_pack",  # a second pack of the same board
    "logins": "login",
    "meetings": "meeting",
    "risks": "risk",
    "milestones": "milestone",
    "frameworks": "framework",
    "samples": "sample",
    "audits": "audit",
    "follow-ups": "follow_up",
    "themes": "theme",
    "surveys": "survey",
    "questions": "question",
    "complaints": "complaint",
    "compliments": "compliment",
    "engagement": "engagement",
    "you-said": "you_said",
}
# Parameters that name no object but a value; a route with only these is scoped by the
# partnership it is asked for (`?partnership=ID`).
VALUES = {"fmt": "csv", "quarter": "2024Q2", "what": "complaints"}


@dataclass(frozen=True)
class Route:
    path: str                  # as the URL conf has it: "plan/actions/<int:pk>/update/"
    params: tuple[str, ...]    # in order: ("pk",)
    view: str                  # "lapis.plans.work_views.progress_new", or "api"
    methods: frozenset[str]    # "GET", "POST", "PUT", "PATCH", "DELETE"

    @property
    def api(self) -> bool:
        return self.path.startswith("api/")

    @property
    def writes(self) -> frozenset[str]:
        return self.methods - {"GET", "HEAD", "OPTIONS"}


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _page_methods(callback) -> frozenset[str]:
    """A page takes a write when its view reads a POST (function views, as ours all are);
    `@require_POST` takes nothing else."""
    try:
        source = inspect.getsource(inspect.unwrap(callback))
    except (OSError, TypeError):
        return frozenset({"GET"})
    if "@require_POST" in source:
        return frozenset({"POST"})
    return frozenset({"GET", "POST"}) if "POST" in source else frozenset({"GET"})


def openapi_path(path: str) -> str:
    return "/" + PARAM.sub(r"{\1}", path)


def all_routes(openapi: dict) -> list[Route]:
    """Every route of the URL conf (one per path), with its methods: the API's from its
    OpenAPI document (`openapi`, as /api/openapi.json serves it), the pages' from their views."""
    found: dict[str, Route] = {}
    for path, callback in _walk(get_resolver()):
        if path in found:
            continue  # django-ninja adds one pattern per operation, all with the same view
        params = tuple(PARAM.findall(path))
        if path.startswith("api/"):
            operations = openapi["paths"].get(openapi_path(path), {})
            methods = frozenset(m.upper() for m in operations)
            view = "api"
        else:
            methods = _page_methods(callback)
            view = f"{callback.__module__}.{getattr(callback, '__name__', '?')}"
        found[path] = Route(path, params, view, methods)
    return list(found.values())


def exempt(route: Route) -> bool:
    return route.path in EXEMPT or route.path.startswith(EXEMPT_PREFIXES)


def kinds(route: Route) -> dict[str, str | None]:
    """Each parameter's object kind (None for a plain value, "?" when unknown)."""
    segments = route.path.split("/")
    result = {}
    for param in route.params:
        if param in VALUES:
            result[param] = None
            continue
        index = next(i for i, s in enumerate(segments) if PARAM.search(s)
                     and param in PARAM.findall(s))
        before = segments[index - 1] if index else ""
        result[param] = COLLECTIONS.get(before, "?")
    return result


def required_query(openapi: dict, route: Route, method: str = "GET") -> list[str]:
    """The query parameters an API operation cannot do without (`area=` and the like)."""
    if not route.api:
        return []
    operation = openapi["paths"][openapi_path(route.path)][method.lower()]
    return [p["name"] for p in operation.get("parameters", ())
            if p["in"] == "query" and p.get("required")]


def fill(route: Route, objects: dict, partnership_id: int, query: dict | None = None
         ) -> str | None:
    """The URL of the route for the partnership's objects, or None when a parameter names a
    kind of object that `objects` (kind -> instance) does not hold. `query` adds query
    parameters (an API's required ones)."""
    url = route.path
    named = kinds(route)
    for param, kind in named.items():
        if kind is None:
            value = VALUES[param]
        elif kind in objects:
            obj = objects[kind]
            value = {"ref": getattr(obj, "ref", None),
                     "key": getattr(obj, "key", None)}.get(param) or obj.pk
        else:
            return None
        url = re.sub(rf"<(?:\w+:)?{param}>", str(value), url, count=1)
    url = "/" + url
    query = dict(query or {})
    if not any(named.values()):
        query["partnership"] = partnership_id  # no object: the partnership is asked for
    if query:
        url += "?" + urlencode(query)
    return url


def object_routes(routes: list[Route]) -> list[Route]:
    """The routes with a parameter, less the exempt ones."""
    return [r for r in routes if r.params and not exempt(r)]


def example(schema: dict, components: dict):
    """A smallest value the OpenAPI schema accepts (required fields only), so that a request
    passes the API's validation and reaches the view's own checks."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return example(options[0], components) if options else None
    kind = schema.get("type")
    if kind == "object":
        return {name: example(schema["properties"][name], components)
                for name in schema.get("required", ())}
    if kind == "array":
        return []
    if kind == "integer" or kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2025-01-01"
    if schema.get("format") == "date-time":
        return "2025-01-01T00:00:00"
    return "x"


def request_body(openapi: dict, route: Route, method: str):
    """An example JSON body for the API operation, or None when it takes none."""
    operation = openapi["paths"][openapi_path(route.path)][method.lower()]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    return example(content["schema"], openapi.get("components", {}).get("schemas", {}))
