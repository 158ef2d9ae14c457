"""How much a request may carry, checked before Django reads the body.

Text is cleaned as it arrives (techcommit.text), and cleaning costs time in proportion to the
text. A cap per endpoint keeps one request from holding a web worker for long. Django's own
DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) answers 400 with no explanation; this answers 413 with a
sentence the page can show.
"""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse


def body_size_limit(setting: str):
    """Answer 413 (JSON with a message) when the declared body is longer than ``setting``."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            limit = getattr(settings, setting)
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return JsonResponse(
                    {
                        "status": "too_large",
                        "message": (
                            f"this text is too long to send in one go ({length // 1024:,} KB; "
                            f"the most is {limit // 1024:,} KB). Shorten it, or paste it in parts."
                        ),
                    },
                    status=413,
                )
            return view(request, *args, **kwargs)

        return limited

    return decorator
