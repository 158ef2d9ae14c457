"""What the self-assessments add to an organisation's dashboard (registered in apps.py)."""

from assessments.services import due_date_for
from signatories.dashboard import Panel


def due_date_panel(user, organisation) -> Panel:
    """When the organisation's next self-assessment is due, or that none is expected."""
    return Panel("assessments/_dashboard_due.html", {"due": due_date_for(organisation)})
