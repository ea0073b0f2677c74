"""`make serve` is the production server: with DEBUG off and no secrets it refuses to start,
as gunicorn with the shipped configuration does, rather than serve with development ones."""

import os
import subprocess
import sys
from pathlib import Path

from core.tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_make_serve_refuses_to_start_without_the_production_secrets():
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(ROOT),
        # Set and empty: a developer's .env cannot fill them in.
        "DJANGO_SECRET_KEY": "",
        "SESSION_SECRET": "",
        "OAUTH_TOKEN_KEYS": "",
    }
    venv = Path(sys.executable).parents[1]
    result = subprocess.run(
        ["make", "serve", f"VENV={venv}", "STAMP=", f"PORT={free_port()}", "WORKERS=1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "must be set" in result.stdout + result.stderr


def test_make_serve_collects_the_static_files_and_starts_the_shipped_configuration():
    # Run from `make test`, make would announce the directories it enters: asked not to.
    command = ["make", "--dry-run", "--no-print-directory", "serve", "STAMP="]
    recipe = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    lines = recipe.stdout.strip().splitlines()
    assert "manage.py collectstatic --noinput" in lines[-2]
    assert lines[-1].endswith("gunicorn -c config/gunicorn.conf.py config.wsgi")
