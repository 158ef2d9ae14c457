from django.db import models


class OrganisationKind(models.TextChoices):
    UNIVERSITY = "university", "University"
    RESEARCH_INSTITUTE = "research_institute", "Research institute"
    OTHER = "other", "Other"


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    SCOTLAND = "scotland", "Scotland"
    WALES = "wales", "Wales"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    OUTSIDE_UK = "outside_uk", "Outside the UK"


class OrganisationStatus(models.TextChoices):
    SIGNATORY = "signatory", "Signatory"
    LAPSED = "lapsed", "Lapsed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Every move an organisation's status may make, and only these (services.transition checks it;
# each takes a reason). A lapsed or withdrawn organisation may sign again.
ALLOWED_TRANSITIONS = {
    OrganisationStatus.SIGNATORY: {OrganisationStatus.LAPSED, OrganisationStatus.WITHDRAWN},
    OrganisationStatus.LAPSED: {OrganisationStatus.SIGNATORY, OrganisationStatus.WITHDRAWN},
    OrganisationStatus.WITHDRAWN: {OrganisationStatus.SIGNATORY},
}

# Only signatories in good standing are expected to self-assess.
ASSESSED_STATUSES = frozenset({OrganisationStatus.SIGNATORY})


class Role(models.TextChoices):
    LEAD = "lead", "Institutional lead"
    CONTRIBUTOR = "contributor", "Contributor"
    SPONSOR = "sponsor", "Sponsor"
    LEADER = "leader", "Leader of institution"


# The roles whose holders sign a self-assessment off.
SIGN_OFF_ROLES = frozenset({Role.SPONSOR, Role.LEADER})
