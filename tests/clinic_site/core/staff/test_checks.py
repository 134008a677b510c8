"""The staff sign-in's system checks: impossible session limits."""

import pytest

from clinic_site.core.staff.checks import check_staff_settings


def ids():
    return [problem.id for problem in check_staff_settings(None)]


def test_the_defaults_pass():
    assert ids() == []


@pytest.mark.parametrize(("idle", "hours"), [(0, 12), (13 * 60, 12)])
def test_an_idle_limit_outside_the_session_limit_stops_start_up(settings, idle, hours):
    settings.STAFF_SESSION_IDLE_MINUTES = idle
    settings.STAFF_SESSION_MAX_HOURS = hours
    assert ids() == ["staff.E001"]


def test_a_failure_limit_below_one_stops_start_up(settings):
    settings.AXES_FAILURE_LIMIT = 0
    assert ids() == ["staff.E002"]
