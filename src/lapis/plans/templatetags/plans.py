from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from lapis.plans import drift

register = template.Library()


@register.filter
def explain(flagged):
    return drift.explain(flagged)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.filter
def words(name):
    """A field name as words: 'last_reviewed' -> 'last reviewed'."""
    return str(name).replace("_", " ")


@register.filter
def codes(links):
    return ", ".join(token["code"] for token in links or [])


@register.filter
def paragraphs(text):
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


@register.simple_tag
def summary_row(key, value):
    # Escape once (a value from |join is already safe), then keep the cell's line breaks.
    shown = conditional_escape(value).strip() if value not in (None, "") else ""
    shown = mark_safe(shown.replace("\n", "<br>"))
    return format_html(
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
        '<dd class="govuk-summary-list__value">{}</dd></div>',
        key, shown or "Not recorded",
    )


@register.simple_tag(takes_context=True)
def action_panels(context, place):
    """The panels other apps add to this place of the action page (see `lapis.plans.panels`),
    each rendered as an include would render it."""
    from lapis.plans import panels

    engine, html = context.template.engine, []
    for panel in panels.action_panels(place, context["action"], context.get("user")):
        with context.push(**panel["context"]):
            html.append(engine.get_template(panel["template"]).render(context))
    return mark_safe("\n\n".join(html))
