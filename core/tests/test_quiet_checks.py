"""Every manage.py command runs the system checks: in development they must have nothing to
say, or a real warning would drown among the ones printed every time."""

from io import StringIO

from django.core.management import call_command


def test_the_system_checks_print_nothing():
    out, err = StringIO(), StringIO()
    call_command("check", stdout=out, stderr=err)
    assert "no issues" in out.getvalue()
    assert "WARNING" not in out.getvalue() + err.getvalue()
