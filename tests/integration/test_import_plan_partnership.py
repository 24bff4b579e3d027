"""`lapis import_plan --partnership NEW` makes the partnership only when the import succeeds
and is not a dry run, in the import's own transaction."""

from lapis.core.models import ChangeRecord
from lapis.partnership.models import Partnership
from lapis.plans.models import Action, Plan
from tests.conftest import HULL

from .helpers import lapis, lapis_fails


def test_a_failed_import_makes_no_partnership(db, tmp_path):
    broken = tmp_path / "plan.csv"
    broken.write_text("Ref,Title,Status\n1.1,x,Purple\n", encoding="utf-8")
    bad = tmp_path / "plan.txt"
    bad.write_text("x")
    for path in (broken, bad):
        _, err = lapis_fails("import_plan", str(path), "--partnership", "Newtown")
        assert "nothing was imported" in err
        assert not Partnership.objects.filter(name="Newtown").exists()
    assert not Plan.objects.exists()


def test_a_failed_import_without_a_name_makes_no_partnership(db, tmp_path):
    bad = tmp_path / "plan.txt"
    bad.write_text("x")
    lapis_fails("import_plan", str(bad))
    assert not Partnership.objects.exists()


def test_a_dry_run_makes_no_partnership(db):
    out, _ = lapis("import_plan", str(HULL), "--partnership", "Newtown", "--dry-run")
    assert out.startswith("Would import")
    assert not Partnership.objects.filter(name="Newtown").exists()
    assert not Action.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_a_successful_import_makes_the_partnership(db):
    out, _ = lapis("import_plan", str(HULL), "--partnership", "Newtown")
    assert out.startswith("Imported")
    newtown = Partnership.objects.get(name="Newtown")
    assert Action.objects.filter(plan__partnership=newtown).count() == 81
