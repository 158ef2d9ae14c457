"""Who publishes: an organisation's lead (and the portal's administrators)."""

import rules

from signatories.rules import is_administrator, is_lead_of

# On an organisation.
rules.add_perm("publications.publish", is_lead_of | is_administrator)
