import pytest

from tests.factories import ProgrammeActivityFactory


@pytest.mark.django_db
def test_factories_build_a_programme_activity_with_its_partner() -> None:
    activity = ProgrammeActivityFactory()
    assert activity.programme.partner.name_fr.startswith("Partenaire")
