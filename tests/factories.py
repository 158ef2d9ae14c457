"""Factories with fixed sequences and no random data: every test states what it depends on."""

from datetime import date

import factory

from signatories.enums import Nation, OrganisationKind, OrganisationStatus, Role
from signatories.models import Membership, Organisation, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"University of Testshire {n}")
    short_name = factory.Sequence(lambda n: f"Testshire {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    kind = OrganisationKind.UNIVERSITY
    nation = Nation.ENGLAND
    signed_on = date(2020, 1, 15)
    status = OrganisationStatus.SIGNATORY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CONTRIBUTOR
