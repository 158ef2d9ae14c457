from django.urls import path  # noqa: F401 - patterns are added per module below

from actionplans.views import plans, reviews, transfer  # noqa: F401

app_name = "actionplans"

base = "organisations/<slug:slug>/action-plans/"
one = base + "<int:pk>/"

urlpatterns = [
    # The plan and its editor (actionplans/views/plans.py).
    # Progress reviews and achievements (actionplans/views/reviews.py).
    # Import and export (actionplans/views/transfer.py).
]
