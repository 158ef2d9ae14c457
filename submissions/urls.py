from django.urls import path  # noqa: F401 - patterns are added per module below

from submissions.views import flow, review  # noqa: F401

app_name = "submissions"

one = "organisations/<slug:slug>/self-assessments/<int:pk>/"

urlpatterns = [
    # The organisation's side (submissions/views/flow.py).
    # The steering group's side (submissions/views/review.py).
]
