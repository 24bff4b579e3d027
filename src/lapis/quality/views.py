"""The plan quality pages: the landing page, frameworks, samples, audits with their grades,
moderations, findings and follow-ups, and themes (raised as improvement actions).

Thin shells: reads go through `.visible_to(user)`, writes through `lapis.quality.actions`,
permissions through `lapis.partnership.permissions`. Plan IDs are pseudonymous but still case
level: only auditors and those who may see cases see them; everyone else sees counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lapis.core import history, tables
from lapis.core.concurrency import EditConflict
from lapis.partnership import permissions
from lapis.quality import actions, exporting, rules
from lapis.quality.forms import (
    AuditForm,
    FindingForm,
    FollowUpForm,
    RaiseForm,
    SampleForm,
)
from lapis.quality.models import (
    Audit,
    FindingKind,
    FollowUp,
    Framework,
    Method,
    Sample,
    Theme,
)

GRADE_COLOURS = {rules.OUTSTANDING: "green", rules.GOOD: "turquoise",
                 rules.REQUIRES_IMPROVEMENT: "yellow", rules.INADEQUATE: "red"}
FIELD_LABELS = {
    "created": "Created", "audit_id": "Audit reference", "plan_id": "Plan ID",
    "audit_date": "Date of the audit", "auditor": "Auditor", "agency": "Agency",
    "phase": "Phase", "need": "Primary need", "team": "Team", "notes": "Notes",
    "finding": "Finding", "follow-up": "Follow-up", "follow-up done": "Follow-up done",
    "moderation": "Moderation", "criterion scores": "Criterion scores",
}


def shows_plan_ids(user, partnership_id: int) -> bool:
    return (permissions.can_audit(user, partnership_id)
            or permissions.can_see_cases(user, partnership_id))


def quarter_of(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


class NoPartnership(Exception):
    """The user belongs to no partnership: the page says so (see `no_partnership`)."""


def _partnership(request):
    partnership = permissions.partnership_for(request)
    if partnership is None:
        raise NoPartnership
    return partnership


def no_partnership(view):
    """Answer a user who belongs to no partnership with a page that says so."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NoPartnership:
            return render(request, "quality/no_partnership.html", status=200)
    return wrapped


def _audits(request):
    return Audit.objects.visible_to(request.user).select_related(
        "framework", "partnership", "moderates")


def _visible_audit(request, pk: int) -> Audit:
    return get_object_or_404(_audits(request), pk=pk)


# ---------------------------------------------------------------------------------------------
# Reads shared with the API
# ---------------------------------------------------------------------------------------------

def theme_rows(partnership_id: int) -> tuple[list[dict], list[str]]:
    """Each theme with its findings, the audits that found it (moderations apart), whether it
    recurs, its action, and its findings counted by quarter of the audit date."""
    themes = list(Theme.objects.filter(partnership_id=partnership_id)
                  .select_related("action", "action__plan").order_by("name"))
    links = (Theme.findings.through.objects.filter(theme__partnership_id=partnership_id)
             .values_list("theme_id", "finding__audit_id", "finding__audit__audit_date",
                          "finding__audit__moderates_id"))
    findings, audits, quarters = Counter(), defaultdict(set), defaultdict(Counter)
    for theme_id, audit_id, audit_date, moderates in links:
        findings[theme_id] += 1
        quarters[theme_id][quarter_of(audit_date)] += 1
        if moderates is None:
            audits[theme_id].add(audit_id)
    all_quarters = sorted({q for counts in quarters.values() for q in counts})[-6:]
    rows = [{"theme": t, "findings": findings[t.pk], "audits": len(audits[t.pk]),
             "recurring": len(audits[t.pk]) >= actions.RECURRING_FROM,
             "by_quarter": [quarters[t.pk][q] for q in all_quarters],
             "quarters": dict(quarters[t.pk])} for t in themes]
    return rows, all_quarters


def open_follow_ups(partnership_id: int, today: dt.date) -> list[FollowUp]:
    """Open follow-ups, overdue first (earliest due first within each)."""
    found = list(FollowUp.objects.filter(audit__partnership_id=partnership_id, done__isnull=True)
                 .select_related("owner", "audit").order_by("due", "pk"))
    return sorted(found, key=lambda f: (f.due >= today, f.due, f.pk))


def moderation_summary(partnership_id: int) -> dict:
    """How often a moderator's overall grade agreed with the audit's, and section by section."""
    moderations = (Audit.objects.filter(partnership_id=partnership_id,
                                        moderates__isnull=False)
                   .select_related("moderates", "moderates__framework"))
    overall_agreed = overall_compared = agreed = compared = 0
    for moderation in moderations:
        result = actions.agreement_of(moderation.moderates, moderation)
        agreed += result.agreed
        compared += result.compared
        if result.overall_agrees is not None:
            overall_compared += 1
            overall_agreed += int(result.overall_agrees)
    return {"moderations": len(moderations), "overall_agreed": overall_agreed,
            "overall_compared": overall_compared,
            "overall_pct": rules.pct(overall_agreed, overall_compared),
            "agreed": agreed, "compared": compared, "pct": rules.pct(agreed, compared)}


def thresholds_in_words(framework: Framework) -> list[str]:
    t = framework.thresholds()
    shown = actions.shown_score
    return [f"Outstanding from {shown(t.outstanding)} out of 100",
            f"Good from {shown(t.good)} out of 100",
            f"Requires improvement from {shown(t.requires_improvement)} out of 100",
            f"Inadequate below {shown(t.requires_improvement)}"]


# ---------------------------------------------------------------------------------------------
# Landing page
# ---------------------------------------------------------------------------------------------

@no_partnership
def home(request):
    partnership = _partnership(request)
    today = dt.date.today()
    themes, _ = theme_rows(partnership.pk)
    themes.sort(key=lambda r: (-r["audits"], -r["findings"], r["theme"].name.casefold()))
    recent = list(_audits(request).filter(partnership=partnership)
                  .prefetch_related("grades").order_by("-audit_date", "-pk")[:10])
    for found in recent:
        found.overall = next((g for g in found.grades.all() if g.section == "overall"), None)
    return render(request, "quality/home.html", {
        "partnership": partnership,
        "recent": recent,
        "audits_total": Audit.objects.filter(partnership=partnership).counted().count(),
        "follow_ups": open_follow_ups(partnership.pk, today),
        "themes": themes[:10],
        "themes_total": len(themes),
        "moderation": moderation_summary(partnership.pk),
        "frameworks": Framework.objects.visible_to(request.user).filter(active=True),
        "samples": Sample.objects.filter(partnership=partnership).select_related(
            "framework")[:3],
        "today": today,
        "can_audit": permissions.can_audit(request.user, partnership.pk),
        "show_ids": shows_plan_ids(request.user, partnership.pk),
        "grade_colours": GRADE_COLOURS,
    })


# ---------------------------------------------------------------------------------------------
# Frameworks
# ---------------------------------------------------------------------------------------------

@no_partnership
def framework_list(request):
    partnership = _partnership(request)
    frameworks = (Framework.objects.visible_to(request.user)
                  .annotate(sections_count=Count("sections", distinct=True),
                            criteria_count=Count("sections__criteria", distinct=True)))
    return render(request, "quality/frameworks.html", {
        "partnership": partnership,
        "frameworks": [(f, thresholds_in_words(f)) for f in frameworks],
    })


@no_partnership
def framework_detail(request, pk: int):
    framework = get_object_or_404(Framework.objects.visible_to(request.user), pk=pk)
    partnership = _partnership(request)
    sections = actions.sections_of(framework)
    return render(request, "quality/framework.html", {
        "partnership": partnership,
        "framework": framework,
        "sections": sections,
        "thresholds": thresholds_in_words(framework),
        "scale": list(enumerate(framework.scale)),
        "can_audit": permissions.can_audit(request.user, partnership.pk),
    })


# ---------------------------------------------------------------------------------------------
# Samples
# ---------------------------------------------------------------------------------------------

@no_partnership
def sample_list(request):
    partnership = _partnership(request)
    samples = (Sample.objects.visible_to(request.user).filter(partnership=partnership)
               .select_related("framework").annotate(audited=Count(
                   "audits", filter=Q(audits__moderates__isnull=True), distinct=True)))
    return render(request, "quality/samples.html", {
        "partnership": partnership, "samples": samples,
        "can_audit": permissions.can_audit(request.user, partnership.pk)})


@no_partnership
def sample_new(request):
    partnership = _partnership(request)
    permissions.require(permissions.can_audit(request.user, partnership.pk),
                        actions.AUDITORS_ONLY)
    initial = {}
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    initial.update({"month_month": last_month.month, "month_year": last_month.year,
                    "size": 10})
    form = SampleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = actions.create_sample(
                partnership=partnership, by=request.user, framework=data["framework"],
                month=data["month"], size=data["size"], phase=data["phase"],
                need=data["need"], team=data["team"], pasted=data["pasted"])
        except actions.Invalid as invalid:
            form.add_errors(invalid.errors)
        else:
            messages.success(request, f"{sample.size} plans sampled for {sample.month:%B %Y}")
            return redirect("quality:sample", pk=sample.pk)
    return render(request, "quality/sample_form.html", {
        "form": form, "partnership": partnership,
        "errors": form.summary() if form.is_bound else [],
    }, status=400 if form.is_bound and form.errors else 200)


def sample_detail(request, pk: int):
    sample = get_object_or_404(Sample.objects.visible_to(request.user)
                               .select_related("framework", "partnership"), pk=pk)
    pid = sample.partnership_id
    audited = {}
    for found in sample.audits.filter(moderates__isnull=True).order_by("audit_date", "pk"):
        audited.setdefault(found.plan_id.casefold(), found)
    plans = [(p, audited.get(p.plan_id.casefold())) for p in sample.plans.all()]
    return render(request, "quality/sample.html", {
        "sample": sample, "partnership": sample.partnership, "plans": plans,
        "audited_count": sum(1 for _, a in plans if a),
        "show_ids": shows_plan_ids(request.user, pid),
        "can_audit": permissions.can_audit(request.user, pid),
        "phases": Counter(p.phase or "Not known" for p, _ in plans).most_common(),
        "history": history.history(sample).order_by("-at", "-id"),
    })


# ---------------------------------------------------------------------------------------------
# Audits
# ---------------------------------------------------------------------------------------------

AUDIT_FILTERS = ("framework", "agency", "phase", "need", "grade", "quarter", "kind")


@no_partnership
def audit_list(request):
    partnership = _partnership(request)
    show_ids = shows_plan_ids(request.user, partnership.pk)
    everything = _audits(request).filter(partnership=partnership)
    chosen = {k: request.GET.get(k, "") for k in AUDIT_FILTERS}
    shown = everything
    if chosen["framework"].isdigit():
        shown = shown.filter(framework_id=chosen["framework"])
    if chosen["agency"]:
        shown = shown.filter(agency__iexact=chosen["agency"])
    if chosen["phase"]:
        shown = shown.filter(phase__iexact=chosen["phase"])
    if chosen["need"]:
        shown = shown.filter(need__iexact=chosen["need"])
    if chosen["grade"] in rules.GRADES:
        shown = shown.filter(grades__section="overall", grades__grade=chosen["grade"])
    if chosen["kind"] == "audits":
        shown = shown.filter(moderates__isnull=True)
    elif chosen["kind"] == "moderations":
        shown = shown.filter(moderates__isnull=False)
    quarter = chosen["quarter"].replace(" ", "").upper()
    if len(quarter) == 6 and quarter[:4].isdigit() and quarter[4] == "Q" and quarter[5] in "1234":
        year, q = int(quarter[:4]), int(quarter[5])
        shown = shown.filter(audit_date__year=year, audit_date__month__gte=q * 3 - 2,
                             audit_date__month__lte=q * 3)
    shown = shown.order_by("-audit_date", "-pk")
    wanted = request.GET.get("format", "")
    if wanted in ("csv", "xlsx"):
        found = exporting.for_export(shown)
        stem = f"audits-{partnership.name.lower().replace(' ', '-')}"
        return tables.download(exporting.table(found, show_plan_ids=show_ids), wanted, stem)
    rows = list(shown.prefetch_related("grades"))
    for found in rows:
        found.overall = next((g for g in found.grades.all() if g.section == "overall"), None)
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "quality/audits.html", {
        "partnership": partnership, "rows": rows, "total": everything.count(),
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "frameworks": Framework.objects.filter(audits__partnership=partnership).distinct(),
        "agencies": sorted(set(everything.values_list("agency", flat=True))),
        "phases": sorted(set(everything.exclude(phase="").values_list("phase", flat=True))),
        "needs": sorted(set(everything.exclude(need="").values_list("need", flat=True))),
        "grades": rules.GRADES, "grade_colours": GRADE_COLOURS,
        "query": query.urlencode(),
        "show_ids": show_ids,
        "can_audit": permissions.can_audit(request.user, partnership.pk),
    })


def _grade_rows(found: Audit) -> list[dict]:
    """Each section of the framework (then overall) with its grade, method and score."""
    grades = {g.section: g for g in found.grades.all()}
    rows = [{"code": s.code, "title": s.title, "grade": grades.get(s.code)}
            for s in actions.sections_of(found.framework)]
    rows.append({"code": "overall", "title": "The plan overall", "grade": grades.get("overall")})
    return rows


def audit_detail(request, pk: int):
    found = _visible_audit(request, pk)
    pid = found.partnership_id
    today = dt.date.today()
    scores = {s.criterion_id: s for s in found.scores.all()}
    sections = []
    for section in actions.sections_of(found.framework):
        scale = found.framework.scale
        criteria = [(c, scores.get(c.pk)) for c in section.criteria.all()]
        criteria = [(c, s, scale[s.score] if s and s.score < len(scale) else "")
                    for c, s in criteria]
        sections.append({"section": section, "criteria": criteria,
                         "scored": sum(1 for _, s, _ in criteria if s)})
    moderations = []
    for moderation in found.moderations.select_related("framework").order_by("audit_date", "pk"):
        moderations.append({"audit": moderation,
                            "agreement": actions.agreement_of(found, moderation)})
    original = None
    if found.moderates_id:
        original = {"audit": found.moderates,
                    "agreement": actions.agreement_of(found.moderates, found)}
    can_audit = permissions.can_audit(request.user, pid)
    return render(request, "quality/audit.html", {
        "audit": found, "partnership": found.partnership,
        "grade_rows": _grade_rows(found),
        "sections": sections,
        "scale": found.framework.scale,
        "findings": found.findings.prefetch_related("themes").order_by("kind", "pk"),
        "follow_ups": found.follow_ups.select_related("owner").order_by("done", "due", "pk"),
        "moderations": moderations, "original": original,
        "history": _history(found, shows_plan_ids(request.user, pid)),
        "field_labels": _history_labels(found),
        "show_ids": shows_plan_ids(request.user, pid),
        "can_audit": can_audit,
        "today": today,
        "grade_colours": GRADE_COLOURS,
        "thresholds": thresholds_in_words(found.framework),
        "computed": Method.COMPUTED,
    })


def _history(found: Audit, show_ids: bool) -> list:
    """The audit's history; a change of plan ID shows the IDs only to those who may see them."""
    records = list(history.history(found).order_by("-at", "-id"))
    if not show_ids:
        for record in records:
            if record.field == "plan_id":
                record.old = record.new = "(hidden)"
    return records


def _history_labels(found: Audit) -> dict:
    labels = dict(FIELD_LABELS)
    for section in found.framework.sections.all():
        labels[f"grade {section.code}"] = f"Grade, section {section.code}"
    labels["grade overall"] = "Overall grade"
    return labels


def _framework_for_new(request, partnership):
    wanted = request.POST.get("framework") or request.GET.get("framework", "")
    frameworks = Framework.objects.visible_to(request.user).filter(active=True)
    if wanted.isdigit():
        return frameworks.filter(pk=wanted).first(), frameworks
    return None, frameworks


@no_partnership
def audit_new(request):
    partnership = _partnership(request)
    permissions.require(permissions.can_audit(request.user, partnership.pk),
                        actions.AUDITORS_ONLY)
    framework, frameworks = _framework_for_new(request, partnership)
    sample, sampled = None, None
    if request.GET.get("sample", "").isdigit():
        sample = Sample.objects.filter(partnership=partnership,
                                       pk=request.GET["sample"]).first()
        if sample is not None:
            framework = framework or sample.framework
            sampled = sample.plans.filter(plan_id=request.GET.get("plan", "")).first()
    if framework is None:
        return render(request, "quality/audit_choose.html", {
            "partnership": partnership, "frameworks": frameworks,
            "error": "Choose an audit framework" if "framework" in request.GET else ""},
            status=400 if "framework" in request.GET else 200)
    initial = {"audit_day": "", "sample": sample.pk if sample else None}
    today = dt.date.today()
    initial.update({"audit_date_day": today.day, "audit_date_month": today.month,
                    "audit_date_year": today.year})
    if sampled is not None:
        initial.update({"plan_id": sampled.plan_id, "phase": sampled.phase,
                        "need": sampled.need, "team": sampled.team})
    form = AuditForm(request.POST or None, framework=framework, partnership=partnership,
                     initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            found = actions.create_audit(partnership=partnership, data=form.audit_input(),
                                         by=request.user, source="web")
        except actions.Invalid as invalid:
            form.add_errors(invalid.errors)
        else:
            messages.success(request, f"Audit {found.audit_id} recorded")
            return redirect("quality:audit", pk=found.pk)
    return _audit_form(request, form, partnership, framework)


def _audit_form(request, form, partnership, framework, *, audit=None, moderates=None,
                conflict=None, status=None):
    return render(request, "quality/audit_form.html", {
        "form": form, "partnership": partnership, "framework": framework,
        "audit": audit, "moderates": moderates, "conflict": conflict,
        "errors": form.summary() if form.is_bound else [],
        "thresholds": thresholds_in_words(framework),
        "scale": framework.scale,
    }, status=status or (400 if form.is_bound and form.errors else 200))


def audit_edit(request, pk: int):
    found = _visible_audit(request, pk)
    permissions.require(permissions.can_audit(request.user, found.partnership_id),
                        actions.AUDITORS_ONLY)
    form = AuditForm(request.POST or None, framework=found.framework,
                     partnership=found.partnership, audit=found,
                     moderates=found.moderates)
    if request.method == "POST" and form.is_valid():
        mine = form.audit_input()
        try:
            changes = actions.update_audit(audit=found, data=mine,
                                           expected_version=form.cleaned_data["version"],
                                           by=request.user, source="web")
        except EditConflict as conflict:
            return _conflict(request, form, found, mine, conflict)
        except actions.Invalid as invalid:
            form.add_errors(invalid.errors)
        else:
            messages.success(request, f"Audit {found.audit_id} saved" if changes
                             else f"Audit {found.audit_id}: nothing changed")
            return redirect("quality:audit", pk=found.pk)
    return _audit_form(request, form, found.partnership, found.framework, audit=found,
                       moderates=found.moderates)


def _conflict(request, form, found, mine: actions.AuditInput, conflict: EditConflict):
    """409 with both versions; the form keeps what was typed and carries the saved version,
    so sending it again deliberately replaces the other person's edit."""
    current = conflict.current
    results, _ = actions.compute_grades(found.framework, actions.sections_of(found.framework),
                                        mine.sections, mine.overall)
    mine_grades = {r.section: r.grade for r in results}
    saved_grades = dict(current.grades.values_list("section", "grade"))
    rows = []
    for name in actions.AUDIT_FIELDS:
        a, b = getattr(mine, name), getattr(current, name)
        rows.append({"label": FIELD_LABELS[name], "mine": "" if a is None else str(a),
                     "saved": "" if b is None else str(b)})
    for code in [*(s.code for s in actions.sections_of(found.framework)), "overall"]:
        rows.append({"label": "Overall grade" if code == "overall" else f"Section {code}",
                     "mine": mine_grades.get(code, ""), "saved": saved_grades.get(code, "")})
    for row in rows:
        row["differs"] = row["mine"] != row["saved"]
    data = form.data.copy()
    data["version"] = str(current.version)
    fresh = AuditForm(data, framework=found.framework, partnership=found.partnership,
                      audit=current, moderates=found.moderates)
    fresh.is_valid()
    return _audit_form(request, fresh, found.partnership, found.framework, audit=current,
                       moderates=found.moderates, status=409,
                       conflict={"message": str(conflict), "rows": rows})


def audit_moderate(request, pk: int):
    original = _visible_audit(request, pk)
    permissions.require(permissions.can_audit(request.user, original.partnership_id),
                        actions.AUDITORS_ONLY)
    if original.moderates_id:
        return redirect("quality:moderate", pk=original.moderates_id)
    today = dt.date.today()
    initial = {"plan_id": original.plan_id, "phase": original.phase, "need": original.need,
               "team": original.team, "audit_date_day": today.day,
               "audit_date_month": today.month, "audit_date_year": today.year}
    form = AuditForm(request.POST or None, framework=original.framework,
                     partnership=original.partnership, moderates=original, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            found = actions.moderate(original=original, data=form.audit_input(), by=request.user)
        except actions.Invalid as invalid:
            form.add_errors(invalid.errors)
        else:
            result = actions.agreement_of(original, found)
            messages.success(request, f"Moderation {found.audit_id} recorded: "
                             f"{result.agreed} of {result.compared} grades agree")
            return redirect("quality:audit", pk=original.pk)
    return _audit_form(request, form, original.partnership, original.framework,
                       moderates=original)


def finding_new(request, pk: int):
    found = _visible_audit(request, pk)
    permissions.require(permissions.can_audit(request.user, found.partnership_id),
                        actions.AUDITORS_ONLY)
    form = FindingForm(request.POST or None, audit=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_finding(audit=found, by=request.user, text=data["text"], kind=data["kind"],
                                section=data["section"], themes=data["themes"],
                                new_themes=actions.split_names(data["new_themes"]))
        except actions.Invalid as invalid:
            form.add_errors(invalid.errors)
        else:
            messages.success(request, "Finding added")
            return redirect(reverse("quality:audit", args=[found.pk]) + "#findings")
    return render(request, "quality/finding_form.html", {
        "form": form, "audit": found, "partnership": found.partnership,
        "errors": form.summary() if form.is_bound else [],
        "show_ids": shows_plan_ids(request.user, found.partnership_id),
    }, status=400 if form.is_bound and form.errors else 200)


def follow_up_new(request, pk: int):
    found = _visible_audit(request, pk)
    permissions.require(permissions.can_audit(request.user, found.partnership_id),
                        actions.AUDITORS_ONLY)
    form = FollowUpForm(request.POST or None, audit=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_follow_up(audit=found, by=request.user, kind=data["kind"],
                                  description=data["description"], owner=data["owner"],
                                  due=data["due"])
        except actions.Invalid as invalid:
            form.add_errors(invalid.errors)
        else:
            messages.success(request, "Follow-up added")
            return redirect(reverse("quality:audit", args=[found.pk]) + "#follow-ups")
    return render(request, "quality/follow_up_form.html", {
        "form": form, "audit": found, "partnership": found.partnership,
        "errors": form.summary() if form.is_bound else [],
        "show_ids": shows_plan_ids(request.user, found.partnership_id),
    }, status=400 if form.is_bound and form.errors else 200)


@require_POST
def follow_up_done(request, pk: int):
    follow_up = get_object_or_404(
        FollowUp.objects.filter(audit__in=Audit.objects.visible_to(request.user))
        .select_related("audit", "owner"), pk=pk)
    permissions.require(permissions.can_audit(request.user, follow_up.audit.partnership_id),
                        actions.AUDITORS_ONLY)
    version = request.POST.get("version", "")
    try:
        actions.complete_follow_up(follow_up=follow_up, by=request.user,
                                   expected_version=int(version) if version.isdigit()
                                   else None)
    except actions.Invalid as invalid:
        messages.info(request, "; ".join(invalid.errors.values()))
    except EditConflict:
        messages.info(request, "Someone changed this follow-up meanwhile: check it again")
    else:
        messages.success(request, f"Follow-up marked done: {follow_up.description[:80]}")
    back = request.POST.get("next", "")
    if back == "home":
        return redirect(reverse("quality:home") + f"?partnership={follow_up.audit.partnership_id}")
    return redirect(reverse("quality:audit", args=[follow_up.audit_id]) + "#follow-ups")


# ---------------------------------------------------------------------------------------------
# Themes
# ---------------------------------------------------------------------------------------------

@no_partnership
def theme_list(request):
    partnership = _partnership(request)
    rows, quarters = theme_rows(partnership.pk)
    return render(request, "quality/themes.html", {
        "partnership": partnership, "rows": rows, "quarters": quarters,
        "recurring_from": actions.RECURRING_FROM,
        "can_edit": permissions.can_edit(request.user, partnership.pk),
    })


def theme_raise(request, pk: int):
    theme = get_object_or_404(Theme.objects.visible_to(request.user)
                              .select_related("partnership", "action"), pk=pk)
    permissions.require(permissions.can_edit(request.user, theme.partnership_id),
                        actions.EDITORS_ONLY)
    if theme.action_id:
        messages.info(request, f"{theme.name} was already raised as action {theme.action.ref}")
        return redirect("plans:action", pk=theme.action_id)
    form = RaiseForm(request.POST or None, theme=theme)
    plans = form.fields["plan"].queryset
    if request.method != "POST":
        plan = plans.first()
        priority = form.fields["priority"].choices[0][0] if form.fields["priority"].choices \
            else None
        form.initial.update({
            "plan": plan.pk if plan else None, "priority": priority,
            "ref": actions.suggest_ref(plan, priority) if plan and priority else "",
            "description": actions.suggest_description(theme)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = actions.raise_theme(theme=theme, by=request.user, plan=data["plan"],
                                         priority_number=data["priority"], ref=data["ref"],
                                         description=data["description"],
                                         due_date=data["due"])
        except actions.Invalid as invalid:
            form.add_errors(invalid.errors)
        else:
            messages.success(request, f"Action {action.ref} raised from the theme "
                             f"\"{theme.name}\"")
            return redirect("plans:action", pk=action.pk)
    suggestions = [{"plan": p, "refs": [(n, actions.suggest_ref(p, n))
                                        for n in p.priorities.values_list("number", flat=True)]}
                   for p in plans]
    return render(request, "quality/theme_raise.html", {
        "form": form, "theme": theme, "partnership": theme.partnership,
        "errors": form.summary() if form.is_bound else [],
        "suggestions": suggestions,
        "findings": theme.findings.select_related("audit").order_by("-audit__audit_date")[:10],
        "audits": actions.theme_audits(theme),
        "kinds": dict(FindingKind.choices),
        "has_plans": plans.exists(),
    }, status=400 if form.is_bound and form.errors else 200)
