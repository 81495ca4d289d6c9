"""factory_boy factories for every domain model; tests build their data with these, never with fixtures."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from operations.models import Contribution, Operation
from partners.models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnershipFramework,
    Region,
)
from portal.accounts.models import Desk, Role, User
from workprogrammes.catalogue.models import CatalogueItem
from workprogrammes.programmes.models import Objective, ProgrammeActivity, WorkProgramme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@hq.nato.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for role in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")
    name_fr = factory.Sequence(lambda n: f"Région {n}")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipFramework
        django_get_or_create = ("code",)

    code = "contact-countries"
    acronym_en = "CC"
    acronym_fr = "PC"
    name_en = "Contact Countries"
    name_fr = "Pays de contact"
    kind = PartnershipFramework.Kind.CONTACT_COUNTRIES


class CooperationAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"area-{n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")
    name_fr = factory.Sequence(lambda n: f"Domaine {n}")


# Codes that tests name outright (the `partner` fixture is Japan): a generated partner never takes one,
# or an "outsider" partner would be the very partner a test looks after.
_NAMED_IN_TESTS = {"AF", "AR", "AU", "CL", "CO", "IQ", "JP", "KR", "MD", "MN", "NZ", "PK", "ZZ"}
_ISO = [
    code
    for code in (f"{a}{b}" for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if code not in _NAMED_IN_TESTS
]


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("iso_code",)

    iso_code = factory.Sequence(lambda n: _ISO[(n + 300) % len(_ISO)])
    name_en = factory.Sequence(lambda n: f"Partnerland {n}")
    name_fr = factory.Sequence(lambda n: f"Partenaire {n}")
    region = factory.SubFactory(RegionFactory)
    framework = factory.SubFactory(FrameworkFactory)
    engagement_level = Partner.EngagementLevel.COOPERATING


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    partner = factory.SubFactory(PartnerFactory)
    date = datetime.date(2006, 11, 29)
    kind = Milestone.Kind.SUMMIT
    title_en = factory.Sequence(lambda n: f"Milestone {n}")
    title_fr = factory.Sequence(lambda n: f"Jalon {n}")


class DialogueMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueMeeting

    partner = factory.SubFactory(PartnerFactory)
    date = datetime.date(2010, 5, 4)
    kind = DialogueMeeting.Kind.HIGH_LEVEL
    title_en = factory.Sequence(lambda n: f"High-level talks {n}")
    title_fr = factory.Sequence(lambda n: f"Entretiens de haut niveau {n}")


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"op-{n}")
    acronym_en = factory.Sequence(lambda n: f"OP{n}")
    name_en = factory.Sequence(lambda n: f"Operation {n}")
    name_fr = factory.Sequence(lambda n: f"Opération {n}")
    theatre_en = "Afghanistan"
    start_date = datetime.date(2003, 8, 11)


class LiaisonArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonArrangement

    partner = factory.SubFactory(PartnerFactory)
    post = LiaisonArrangement.Post.SHAPE
    start_date = datetime.date(2007, 1, 1)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    partner = factory.SubFactory(PartnerFactory)
    operation = factory.SubFactory(OperationFactory)
    kind = Contribution.Kind.TROOPS
    period_start = datetime.date(2007, 1, 1)
    personnel = 500


class FundingContributionFactory(ContributionFactory):
    kind = Contribution.Kind.TRUST_FUND
    personnel = None
    amount = Decimal("32000000.00")
    currency = "EUR"


class CatalogueItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueItem
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CAT-{n:04d}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    title_fr = factory.Sequence(lambda n: f"Cours {n}")
    kind = CatalogueItem.Kind.EDUCATION_TRAINING
    area = factory.SubFactory(CooperationAreaFactory)
    needs_council_decision = True


class WorkProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkProgramme
        django_get_or_create = ("partner", "year")

    partner = factory.SubFactory(PartnerFactory)
    year = 2009
    objectives_en = "Support for operations; security cooperation; enhanced common understanding."


class ProgrammeActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeActivity

    programme = factory.SubFactory(WorkProgrammeFactory)
    catalogue_item = factory.SubFactory(CatalogueItemFactory)
    title_en = factory.Sequence(lambda n: f"Activity {n}")
    title_fr = factory.Sequence(lambda n: f"Activité {n}")
    objective = Objective.SECURITY_COOPERATION
    start_date = datetime.date(2009, 3, 2)
    end_date = datetime.date(2009, 3, 6)
    place = "Oberammergau"
    lead = "NATO School"


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"desk-{n}")
    name_en = factory.Sequence(lambda n: f"Desk {n}")
    name_fr = factory.Sequence(lambda n: f"Bureau {n}")

    @factory.post_generation
    def partners(self, create: bool, extracted: list[Partner] | None, **kwargs: object) -> None:
        if extracted:
            self.partners.add(*extracted)

    @factory.post_generation
    def members(self, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
        if extracted:
            self.members.add(*extracted)
