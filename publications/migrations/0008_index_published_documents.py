"""Build the search's index (PublishedAction) for what is already published: every public plan's
actions and, now that they are indexed too, every public update paper's achievements and next
steps. Before this, the index filled only as documents were published or withdrawn, and what was
published before 0007 needed ``manage.py reindex_search``.

It runs the index's own code (publications.search.reindex_all) with this migration's historical
models: that code reads fields only, never a model's methods or custom manager, so it works with
them. Should a later migration change PublishedAction's or Publication's fields that code relies
on, make this migration's body a no-op then (``manage.py reindex_search`` rebuilds the index
under the code of the day) rather than let it write fields that do not exist at this point.

Going back keeps the rows: 0007's reverse drops the table anyway."""

from django.db import migrations


def build_index(apps, schema_editor):
    from publications.search import reindex_all

    reindex_all(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0007_published_action"),
        ("actionplans", "0005_earlier_plans"),
    ]

    operations = [migrations.RunPython(build_index, migrations.RunPython.noop)]
