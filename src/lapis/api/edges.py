"""The API's answers at its edges: input no route can use is a 4xx with a message, never a
server error, and the OpenAPI document lists the error answers every route can give.

- A number too large for the database (`?partnership=18446744073709551617`, an id in a path)
  names no record: 404. SQLite refuses to bind such an integer with OverflowError.
- A multipart or form body that cannot be parsed (no boundary): 400.
- Every route may answer 401 (not signed in), 403 (not allowed, or no CSRF token), 404 (not
  found, or not yours) and 422 (the input is refused); the document says so, with the shape
  of the answer, unless the route declares its own.
"""

from __future__ import annotations

from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI

ERROR = {
    "type": "object",
    "properties": {"detail": {"title": "What went wrong"},
                   "errors": {"type": "object", "title": "Problems by field"}},
    "required": ["detail"],
}
COMMON = {
    "400": "The request body cannot be read",
    "401": "Not signed in",
    "403": "Not allowed, or the CSRF token is missing",
    "404": "Not found, or not in a partnership you belong to",
    "422": "The input is refused; `detail` (and `errors`) say why",
}


def install(api: NinjaAPI) -> None:
    """Add the edge handlers to `api`, and the common answers to its OpenAPI document."""

    @api.exception_handler(OverflowError)
    def _too_large(request, error):
        return api.create_response(request, {"detail": "No such record: the number is too "
                                                       "large to name one"}, status=404)

    @api.exception_handler(MultiPartParserError)
    def _unreadable(request, error):
        return api.create_response(request, {"detail": f"The request body cannot be read: "
                                                       f"{error}"}, status=400)

    make_schema = api.get_openapi_schema

    def get_openapi_schema(*args, **kwargs):
        schema = make_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                for code, description in COMMON.items():
                    answers.setdefault(code, {
                        "description": description, "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"}}}})
        return schema

    api.get_openapi_schema = get_openapi_schema
