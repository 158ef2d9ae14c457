"""Fictional demo data: organisations at different points of the cycle and one person per role.

Every name and address here is invented. Running the command again updates the same rows, so it
is safe to run on every ``make run``.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actionplans.demo import seed_demo_plans
from assessments.demo import seed_demo_assessments
from consultations.demo import seed_demo_consultations
from publications.demo import seed_demo_publications
from signatories.enums import Nation, OrganisationKind, OrganisationStatus, Role
from signatories.models import Membership, Organisation, User
from signatories.services import transition
from submissions.demo import seed_demo_submission
from techcommit.dates import add_months
from techcommit.models import OutgoingEmail

DEMO_PASSWORD = "technician-demo-2026"  # noqa: S105 - printed for the demo on purpose


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    job_title: str
    memberships: tuple[tuple[str, str], ...] = ()
    is_reviewer: bool = False
    is_admin: bool = False


def demo_organisations(today: date) -> list[dict]:
    return [
        {
            "slug": "northmoor",
            "name": "University of Northmoor",
            "short_name": "Northmoor",
            "kind": OrganisationKind.UNIVERSITY,
            "nation": Nation.ENGLAND,
            "signed_on": date(2017, 6, 12),
            "last_assessed_on": add_months(today, -30),
            "status": OrganisationStatus.SIGNATORY,
            "webpage": "https://www.northmoor.example.org/technician-commitment",
            "contact_name": "Priya Raman",
            "contact_email": "technicians@northmoor.example.org",
            "technical_staff_count": 412,
        },
        {
            "slug": "fenwick",
            "name": "Fenwick Institute of Science",
            "short_name": "Fenwick Institute",
            "kind": OrganisationKind.RESEARCH_INSTITUTE,
            "nation": Nation.SCOTLAND,
            "signed_on": add_months(today, -12) + timedelta(days=25),
            "last_assessed_on": None,
            "status": OrganisationStatus.SIGNATORY,
            "webpage": "https://fenwick.example.org/people/technicians",
            "contact_name": "Callum Reid",
            "contact_email": "tc@fenwick.example.org",
            "technical_staff_count": 58,
        },
        {
            "slug": "coldharbour",
            "name": "Coldharbour University",
            "short_name": "Coldharbour",
            "kind": OrganisationKind.UNIVERSITY,
            "nation": Nation.WALES,
            "signed_on": add_months(today, -14),
            "last_assessed_on": None,
            "status": OrganisationStatus.SIGNATORY,
            "webpage": "",
            "contact_name": "Gareth Llewellyn",
            "contact_email": "technical.services@coldharbour.example.org",
            "technical_staff_count": 190,
        },
        {
            "slug": "kelderby",
            "name": "Kelderby Institute of Agriculture",
            "short_name": "Kelderby Institute",
            "kind": OrganisationKind.RESEARCH_INSTITUTE,
            "nation": Nation.SCOTLAND,
            "signed_on": add_months(today, -13),
            "last_assessed_on": None,
            "status": OrganisationStatus.SIGNATORY,
            "webpage": "https://www.example.org/kelderby/technician-commitment",
            "contact_name": "Fiona Lennox",
            "contact_email": "technicians@kelderby.example.org",
            "technical_staff_count": 72,
        },
        {
            "slug": "marrowby",
            "name": "Marrowby College of Art and Technology",
            "short_name": "Marrowby College",
            "kind": OrganisationKind.OTHER,
            "nation": Nation.NORTHERN_IRELAND,
            "signed_on": add_months(today, -1),
            "last_assessed_on": None,
            "status": OrganisationStatus.SIGNATORY,
            "webpage": "",
            "contact_name": "",
            "contact_email": "",
            "technical_staff_count": 24,
        },
        {
            "slug": "ravensby",
            "name": "Ravensby Agricultural Research Station",
            "short_name": "Ravensby",
            "kind": OrganisationKind.RESEARCH_INSTITUTE,
            "nation": Nation.ENGLAND,
            "signed_on": date(2018, 3, 1),
            "last_assessed_on": date(2019, 4, 30),
            "status": OrganisationStatus.LAPSED,
            "webpage": "",
            "contact_name": "",
            "contact_email": "",
            "technical_staff_count": None,
        },
    ]


PEOPLE = [
    DemoPerson(
        "lead@example.org",
        "Priya Raman",
        "Head of Technical Services",
        (("northmoor", Role.LEAD), ("fenwick", Role.LEAD)),
    ),
    DemoPerson(
        "contributor@example.org",
        "Tom Okafor",
        "Senior Laboratory Technician",
        (("northmoor", Role.CONTRIBUTOR),),
    ),
    DemoPerson(
        "sponsor@example.org",
        "Helen Marsh",
        "Pro Vice-Chancellor (Research)",
        (("northmoor", Role.SPONSOR),),
    ),
    DemoPerson(
        "leader@example.org", "Alan Greaves", "Vice-Chancellor", (("northmoor", Role.LEADER),)
    ),
    DemoPerson(
        "coldharbour.lead@example.org",
        "Gareth Llewellyn",
        "Technical Services Manager",
        (("coldharbour", Role.LEAD),),
    ),
    DemoPerson(
        "coldharbour.leader@example.org",
        "Eleri Vaughan",
        "Vice-Chancellor",
        (("coldharbour", Role.LEADER),),
    ),
    DemoPerson(
        "kelderby.lead@example.org",
        "Fiona Lennox",
        "Research Facilities Manager",
        (("kelderby", Role.LEAD),),
    ),
    DemoPerson(
        "kelderby.leader@example.org", "Duncan Rae", "Director", (("kelderby", Role.LEADER),)
    ),
    DemoPerson(
        "reviewer@example.org", "Siân Pryce", "Technical Manager (steering group)", is_reviewer=True
    ),
    DemoPerson("admin@example.org", "Morgan Blake", "Portal administrator", is_admin=True),
]


class Command(BaseCommand):
    help = "Create or refresh fictional demo organisations and people."

    def handle(self, *args, **options):
        # The demo's own e-mails (sign-off requests and the like) go nowhere: they leave the
        # outbox before the seed commits, so no worker sends them and the logins are the last
        # thing `make run` prints before the server starts.
        with transaction.atomic():
            before = OutgoingEmail.objects.aggregate(last=Max("pk"))["last"] or 0
            self.seed()
            OutgoingEmail.objects.filter(pk__gt=before).delete()
        self.print_logins()

    def seed(self) -> None:
        today = timezone.localdate()
        organisations = {}
        for data in demo_organisations(today):
            slug = data.pop("slug")
            status = data.pop("status")
            organisation, _ = Organisation.objects.update_or_create(
                slug=slug, defaults=data, create_defaults={**data, "status": status}
            )
            if organisation.status != status:  # changed since: back through the transition
                transition(organisation, to=status, by=None, comment="Reset by the demo data.")
            organisations[slug] = organisation
        for person in PEOPLE:
            user, _ = User.objects.update_or_create(
                email=person.email,
                defaults={
                    "full_name": person.full_name,
                    "job_title": person.job_title,
                    "is_reviewer": person.is_reviewer,
                    "is_staff": person.is_admin,
                    "is_superuser": person.is_admin,
                    "is_active": True,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=person.email, defaults={"verified": True, "primary": True}
            )
            for slug, role in person.memberships:
                Membership.objects.update_or_create(
                    organisation=organisations[slug], user=user, defaults={"role": role}
                )
        seed_demo_assessments(today)
        seed_demo_plans(today)
        seed_demo_consultations(today)
        seed_demo_submission(today)
        seed_demo_publications(today)

    def print_logins(self) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data is ready. Sign in at http://127.0.0.1:8000/ as:"))
        for person in PEOPLE:
            if person.memberships:
                roles = ", ".join(
                    f"{Role(role).label.lower()} of {slug}" for slug, role in person.memberships
                )
            else:
                roles = "administrator" if person.is_admin else "steering group reviewer"
            out.write(f"  {person.email:<30} {roles}")
        out.write(f"Every demo password is: {DEMO_PASSWORD}")
        out.write(
            "The reviewer and the administrator set up an authenticator app (TOTP) at their "
            "first sign-in."
        )
