"""Safe defaults (issue 14): production unless told otherwise, a Content-Security-Policy with
no inline script, nothing signed-in kept in a cache, `check --deploy` clean."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "lapis"

pytestmark = pytest.mark.django_db


def _lapis(*args, **env):
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("LAPIS_", "PYTEST_", "DJANGO_"))}
    return subprocess.run([sys.executable, "-m", "lapis", *args], capture_output=True,
                          text=True, env={**clean, **env}, timeout=120)


def test_without_lapis_debug_it_is_production_and_needs_a_secret_key():
    refused = _lapis("check")
    assert refused.returncode != 0
    assert "LAPIS_SECRET_KEY must be set when LAPIS_DEBUG is false" in refused.stderr


def test_check_deploy_is_clean_with_the_readme_production_settings(tmp_path):
    result = _lapis("check", "--deploy", "--fail-level", "WARNING",
                    LAPIS_SECRET_KEY="x" * 20 + "production-secret-key-0123456789abcdef",
                    LAPIS_ALLOWED_HOSTS="lapis.example.org",
                    LAPIS_CSRF_TRUSTED_ORIGINS="https://lapis.example.org",
                    LAPIS_VAR_DIR=str(tmp_path), LAPIS_STATIC_ROOT=str(tmp_path / "static"))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_content_security_policy_allows_no_inline_script(client, personas):
    client.force_login(personas["viewer"])
    policy = client.get("/plan/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "Content-Security-Policy" in client.get("/accounts/login/").headers


def test_no_template_has_inline_script_or_style():
    found = []
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=", text):
            found.append(str(path.relative_to(SRC)))
    assert not found


def test_signed_in_pages_and_downloads_are_not_cached(client, personas):
    client.force_login(personas["pm"])
    assert "no-store" in client.get("/plan/")["Cache-Control"]
    download = client.get("/plan/changes/?format=xlsx")
    assert "no-store" in download["Cache-Control"]
