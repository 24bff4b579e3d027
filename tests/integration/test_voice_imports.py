"""`lapis import_survey` and `lapis import_complaints` as a user runs them: results counted by
hand, bad rows refused with the cell named and nothing written, re-imports idempotent."""

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from lapis.core.models import ChangeRecord
from lapis.voice import queries
from lapis.voice.models import Answer, Complaint, Survey, SurveyResponse
from tests.conftest import FIXTURES
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db
SURVEY = FIXTURES / "voice" / "parent-survey.csv"
COMPLAINTS = FIXTURES / "voice" / "complaints.csv"


def _edited(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    path = tmp_path / source.name
    text = source.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def _counts():
    return (Survey.objects.count(), SurveyResponse.objects.count(), Answer.objects.count(),
            Complaint.objects.count(), ChangeRecord.objects.count())


# --- Surveys ---------------------------------------------------------------------------------

def test_a_survey_imports_with_results_counted_by_hand(hull):
    out, err = lapis("import_survey", str(SURVEY), title="Parent carer survey",
                     period="2024/25", run_by="Parent carer forum")
    assert "10 responses" in out and "4 questions" in out and "new" in out
    assert "column C (Your name)" in err and "column D (Email address)" in err
    assert "personal data" in err
    survey = Survey.objects.get()
    assert survey.period == "2024/25" and survey.run_by == "Parent carer forum"
    results = {q.number: (q, r, free) for q, r, free in queries.survey_results(survey)}
    q1, r1, _ = results[1]
    assert q1.kind == "agree"
    assert [(c.answer, c.count) for c in r1.counts] == [
        ("Strongly agree", 2), ("Agree", 3), ("Neither agree nor disagree", 1),
        ("Disagree", 1), ("Strongly disagree", 1), ("Don't know", 1)]
    assert (r1.answered, r1.blank, r1.headline) == (9, 1, 55.6)
    q2, r2, _ = results[2]
    assert q2.kind == "yes_no" and (r2.answered, r2.headline) == (10, 60.0)
    q3, r3, _ = results[3]
    assert q3.kind == "choice"
    assert [(c.answer, c.count, c.pct) for c in r3.counts] == [
        ("SEND casework", 5, 50.0), ("Transport", 3, 30.0),
        ("Speech and language therapy", 2, 20.0)]
    q4, r4, free = results[4]
    assert q4.kind == "free_text" and r4.answered == 5 and "Shorter waits" in free
    # Nothing of the personal columns is held anywhere.
    assert not Answer.objects.filter(value__icontains="Invented Person").exists()
    assert not Answer.objects.filter(value__icontains="@").exists()
    assert set(SurveyResponse.objects.values_list("respondent", flat=True)) == {
        f"R{n:03d}" for n in range(1, 11)}


def test_re_importing_the_same_survey_changes_nothing(hull):
    lapis("import_survey", str(SURVEY), title="Parent carer survey", period="2024/25")
    before = _counts()
    out, _ = lapis("import_survey", str(SURVEY), title="Parent carer survey",
                   period="2024/25")
    assert "unchanged, nothing written" in out
    assert _counts() == before


def test_a_changed_export_replaces_the_responses_and_keeps_the_indicator(hull, tmp_path):
    lapis("import_survey", str(SURVEY), title="Parent carer survey", period="2024/25")
    question = Survey.objects.get().questions.get(number=1)
    question.indicator_name = "% of parents confident in SEND support"
    question.save()
    changed = _edited(tmp_path, SURVEY, "R010,2025-02-09,,,Strongly agree",
                      "R010,2025-02-09,,,Disagree")
    out, _ = lapis("import_survey", str(changed), title="Parent carer survey",
                   period="2024/25")
    assert "replaced" in out
    survey = Survey.objects.get()
    assert survey.responses.count() == 10
    q1 = survey.questions.get(number=1)
    assert q1.indicator_name == "% of parents confident in SEND support"
    assert next(r for q, r, _ in queries.survey_results(survey)
                if q.number == 1).headline == 44.4  # 4 of 9
    assert ChangeRecord.objects.filter(field="responses").count() == 1


def test_a_dry_run_writes_nothing(hull):
    before = _counts()
    out, _ = lapis("import_survey", str(SURVEY), title="Parent carer survey", dry_run=True)
    assert out.startswith("Would import")
    assert _counts() == before


@pytest.mark.parametrize("old, new, where, message", [
    ("R004,2025-02-05,,,Neither agree nor disagree", "R004,2025-02-05,,,Sort of",
     "row 5, column E (I feel confident", "'Sort of' is not an answer on the agree scale"),
    ("R006,2025-02-06", "R005,2025-02-06", "row 7, column A (Respondent ID)",
     "respondent 'R005' is already on row 6"),
    ("R007,2025-02-07", "R007,last tuesday", "row 8, column B (Timestamp)", "not a date"),
    ("Plans on time", "Write to me at jo@example.org", "row 6, column H (What would make",
     "email address"),
])
def test_a_bad_row_is_refused_with_the_cell_named_and_nothing_written(hull, tmp_path, old,
                                                                      new, where, message):
    path = _edited(tmp_path, SURVEY, old, new)
    before = _counts()
    _, err = lapis_fails("import_survey", str(path), title="Parent carer survey")
    assert f"parent-survey.csv, {where}" in err
    assert message in err
    assert "nothing was imported" in err
    assert _counts() == before


def test_a_question_kind_can_be_given_and_then_off_scale_answers_are_errors(hull, tmp_path):
    out, _ = lapis("import_survey", str(SURVEY), title="Kinds", kind=["G=free_text"])
    assert "Free text: Which service" in out
    _, err = lapis_fails("import_survey", str(SURVEY), title="Kinds 2", kind=["F=agree"])
    assert "row 2, column F" in err and "'Yes' is not an answer on the agree scale" in err
    _, err = lapis_fails("import_survey", str(SURVEY), title="Kinds 3", kind=["F=stars"])
    assert "KIND one of agree" in err


def test_a_period_must_be_one_the_scorecard_reads(hull):
    _, err = lapis_fails("import_survey", str(SURVEY), title="X", period="Spring 2025")
    assert "not a period" in err
    assert Survey.objects.count() == 0


def test_the_survey_import_reads_xlsx_and_reports_json(hull, tmp_path):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Responses"
    ws.append(["Respondent ID", "I feel listened to"])
    ws.append(["A1", "Agree"])
    ws.append(["A2", "Strongly disagree"])
    ws.append(["A3", "Agree"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    out, _ = lapis("import_survey", str(path), title="Listening", format="json")
    data = json.loads(out)
    assert data["ok"] and data["responses"] == 3 and data["kinds"] == {
        "I feel listened to": "agree"}


# --- Complaints ------------------------------------------------------------------------------

def test_complaints_import_with_response_times_and_themes_by_hand(hull):
    out, err = lapis("import_complaints", str(COMPLAINTS))
    assert "5 complaints read; 5 new" in out
    assert "column I (Complainant name)" in err and "personal data" in err
    partnership = hull
    items = queries.complaints(partnership)
    import datetime as dt
    today = dt.date(2026, 1, 1)
    timely = {c.reference: t for c, t in queries.with_timeliness(partnership, items, today)}
    assert (timely["C-2024-001"].days_taken, timely["C-2024-001"].within) == (17, True)
    assert (timely["C-2024-002"].days_taken, timely["C-2024-002"].within) == (5, True)
    assert (timely["C-2024-003"].days_taken, timely["C-2024-003"].within) == (24, False)
    assert timely["C-2024-005"].overdue is True
    table = queries.theme_table(items)
    assert table.quarters == ["2024 Q2", "2024 Q3", "2024 Q4"]
    assert table.row("communication") == [2, 0, 1]
    by_quarter = {q.quarter: q for q in queries.timeliness_by_quarter(partnership, items,
                                                                       today)}
    assert (by_quarter["2024 Q2"].within, by_quarter["2024 Q2"].counted,
            by_quarter["2024 Q2"].pct) == (2, 3, 66.7)
    assert by_quarter["2024 Q3"].pct is None
    assert by_quarter["2024 Q4"].pct == 50.0
    c4 = Complaint.objects.get(reference="C-2024-004")
    assert (c4.stage, c4.channel, c4.outcome, c4.themes) == (2, "mp", "withdrawn",
                                                             ["communication", "assessment"])


def test_re_importing_complaints_is_idempotent_and_an_edit_is_kept_in_history(hull, tmp_path):
    lapis("import_complaints", str(COMPLAINTS))
    before = _counts()
    out, _ = lapis("import_complaints", str(COMPLAINTS))
    assert "0 new, 0 updated, 5 unchanged" in out
    assert _counts() == before
    changed = _edited(tmp_path, COMPLAINTS, "C-2024-005,2024-12-02,Letter,SEND casework,"
                      "Provision,1,,", "C-2024-005,2024-12-02,Letter,SEND casework,"
                      "Provision,1,Upheld,2024-12-20")
    out, _ = lapis("import_complaints", str(changed))
    assert "C-2024-005: changed outcome, responded" in out
    complaint = Complaint.objects.get(reference="C-2024-005")
    assert complaint.outcome == "upheld" and complaint.version == 2
    assert ChangeRecord.objects.filter(object_id=complaint.pk, field="outcome",
                                       new="upheld").exists()


@pytest.mark.parametrize("old, new, where, message", [
    ("C-2024-002,2024-05-13,Phone", "C-2024-002,2024-05-13,Pigeon",
     "row 3, column C (Channel)", "unknown channel 'Pigeon'"),
    ("C-2024-003,2024-06-28", "C-2024-003,31/02/2024", "row 4, column B (Received)",
     "not a date"),
    ("Transport,1,Not upheld", "Parking,1,Not upheld", "row 3, column E (Themes)",
     "unknown theme 'Parking'"),
    ("C-2024-004", "C-2024-001", "row 5, column A (Reference)",
     "reference 'C-2024-001' is already used on row 2"),
    ("C-2024-002", "Jane Smith", "row 3, column A (Reference)", "looks like a name"),
    ("Upheld,2024-04-25", "Upheld,2024-03-25", "row 2, column H (Response date)",
     "before the date received"),
    ("Not upheld,2024-05-20", "Not upheld,", "row 3, column H (Response date)",
     "needs its response date"),
    ("Provision,1,,", "Provision,3,,", "row 6, column F (Stage)", "unknown stage '3'"),
])
def test_a_bad_complaint_is_refused_with_the_cell_named_and_nothing_written(
        hull, tmp_path, old, new, where, message):
    lapis("import_complaints", str(COMPLAINTS))
    Complaint.objects.filter(reference="C-2024-005").delete()  # so a write would show
    before = _counts()
    path = _edited(tmp_path, COMPLAINTS, old, new)
    _, err = lapis_fails("import_complaints", str(path))
    assert f"complaints.csv, {where}" in err
    assert message in err and "nothing was imported" in err
    assert _counts() == before


def test_every_problem_in_a_file_is_reported_at_once(hull, tmp_path):
    path = _edited(tmp_path, COMPLAINTS, "C-2024-002,2024-05-13,Phone",
                   "C-2024-002,2024-05-13,Pigeon")
    path.write_text(path.read_text().replace("Assessment; communication",
                                             "Assessment; weather"))
    _, err = lapis_fails("import_complaints", str(path), format="json")
    assert "2 error(s)" in err


def test_a_file_without_the_columns_is_refused(hull, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("Reference,Service\nC1,Transport\n")
    _, err = lapis_fails("import_complaints", str(path))
    assert "no 'Received', 'Channel' column" in err
    other = tmp_path / "other.csv"
    shutil.copy(SURVEY, other)
    _, err = lapis_fails("import_complaints", str(other))
    assert "no header row with a 'Reference' column" in err


def test_an_export_imports_back_unchanged(hull, alice, client, tmp_path):
    lapis("import_complaints", str(COMPLAINTS))
    client.force_login(alice)
    response = client.get("/voice/export/complaints.csv")
    assert response.status_code == 200
    path = tmp_path / "exported.csv"
    path.write_bytes(response.content)
    before = _counts()
    out, _ = lapis("import_complaints", str(path))
    assert "5 unchanged" in out
    assert _counts() == before


def test_a_command_acting_as_a_viewer_is_refused(hull, charlie):
    _, err = lapis_fails("import_complaints", str(COMPLAINTS), partnership="Hull",
                         by="charlie")
    assert "refused" in err
    assert Complaint.objects.count() == 0
