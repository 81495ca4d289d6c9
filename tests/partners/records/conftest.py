import pytest


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    """These tests are about partner records, not signing in: no one-time code is asked of administrators."""
    settings.OTP_REQUIRED_ROLES = ()
