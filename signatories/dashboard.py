"""Panels that the apps above this one add to an organisation's dashboard.

Signatories is the lowest app and may not import the ones above it, yet the dashboard shows
things they know (when the next self-assessment is due). So each of those apps registers a
provider here from its ``AppConfig.ready()``; the dashboard asks every provider in turn and
draws the panels they return, each with its own template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from signatories.models import Organisation


@dataclass(frozen=True)
class Panel:
    """One card on the dashboard: the template that draws it and what the template reads (as
    ``data``)."""

    template: str
    data: dict = field(default_factory=dict)


Provider = Callable[[object, Organisation], Panel | None]

# name -> (order, provider); keyed by name so that registering twice changes nothing.
_providers: dict[str, tuple[int, Provider]] = {}


def register(name: str, provider: Provider, *, order: int = 100) -> None:
    """Add ``provider`` (``(user, organisation) -> Panel | None``) to every dashboard; panels
    are drawn by ``order``, lowest first."""
    _providers[name] = (order, provider)


def panels_for(user, organisation: Organisation) -> list[Panel]:
    panels = []
    for _order, provider in sorted(_providers.values(), key=lambda item: item[0]):
        panel = provider(user, organisation)
        if panel is not None:
            panels.append(panel)
    return panels
