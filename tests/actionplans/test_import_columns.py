"""Import never drops a column silently: common header spellings are recognised, a column with
values that nothing reads is warned about with three of its values, phase columns without dates
ask for their months on the preview, and an unknown owner code is one problem however often it
is used. The owner key keeps the file's order and can be reordered."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans import exports, services, transfer
from actionplans.models import Action
from tests.matrix import matrix, outcome

# The fictional phased plan: its headers exactly as a spreadsheet export writes them.
PHASED_CSV = "\n".join(
    [
        "theme,action,led_by,phase_1,phase_2,phase_3,success_criteria,rag",
        "Visibility,Publish a yearly census of technical roles,PS/PL,Mar 2027,,,Census online,"
        "Not started",
        "Visibility,Name technicians on every research poster,PL/M&C,,Oct 2027,,Posters audited,"
        "In progress",
        "Recognition,Run a technician awards evening,G/PT,,,Jun 2028,Awards held twice,Delayed",
        "Career Development,Map progression routes for workshop staff,PT,Apr 2027,Jan 2028,,"
        "Routes published,Completed",
        "Sustainability,Start a technical apprenticeship scheme,PS/G/PT,,,Sep 2028,"
        "Four apprentices,Not started",
        "",
    ]
)


def upload(name: str, content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode("utf-8"))


def read(content: str):
    table = transfer.read_table(upload("plan.csv", content))
    return table, transfer.guess_mapping(table)


@pytest.fixture
def blank_plan(org_a, lead_of_org_a):
    """A new 24-month plan with no phases and no key."""
    return services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2027, 1, 1), horizon_months=24
    )


def url(plan, name):
    return reverse(f"actionplans:{name}", args=[plan.organisation.slug, plan.pk])


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("led_by", "led_by"),
        ("Lead", "led_by"),
        ("Owner", "led_by"),
        ("Responsible", "led_by"),
        ("RAG", "status"),
        ("Status", "status"),
        ("rag", "status"),
        ("Success measure", "success_criteria"),
        ("KPI", "success_criteria"),
        ("Evidence", "success_criteria"),
        ("success_criteria", "success_criteria"),
        ("phase_1", "phase"),
        ("Phase 1", "phase"),
        ("P1", "phase"),
        ("P2 (Jun 2027 - May 2028)", "phase"),
        ("2021/22", "year"),
        ("2021", "year"),
        ("FY2023", "year"),
        ("action", "title"),
        ("theme", "theme"),
    ],
)
def test_common_header_spellings_are_recognised(header, field):
    assert transfer.guess_field(header) == field


@pytest.mark.parametrize(
    ("header", "name"),
    [("phase_1", "Phase 1"), ("P2", "Phase 2"), ("Phase 3 (Jun 2028 - Nov 2028)", "Phase 3")],
)
def test_phase_columns_name_their_phase(header, name):
    assert transfer.phase_name(header) == name


def test_an_academic_year_column_is_the_year_it_starts(blank_plan):
    table, mapping = read("Theme,Action,2021/22,2022/23\nVisibility,Count technicians,x,\n")
    preview = transfer.preview(blank_plan, table, mapping)
    assert (preview.problems, preview.years) == ([], [2021, 2022])
    assert preview.rows[0].focus_years == [2021]


@pytest.mark.parametrize("header", ["Notes", "Budget (£)", "", "Whatever 7", "Sponsor's view"])
@pytest.mark.parametrize("column", [1, 3])
def test_a_column_with_values_that_nothing_reads_is_always_a_warning(blank_plan, header, column):
    """Whatever its header and wherever it stands, an unmapped column with values is named with
    its first three different values."""
    headers = ["Theme", "Action", "Led by"]
    headers.insert(column, header)
    lines = [",".join(headers)]
    for number, value in enumerate(["alpha", "beta", "alpha", "gamma", "delta"]):
        cells = ["Visibility", f"Action {number}", "PL"]
        cells.insert(column, value)
        lines.append(",".join(cells))
    table = transfer.read_table(upload("plan.csv", "\n".join(lines) + "\n"))
    columns = transfer.guess_mapping(table).columns + [""] * 4
    columns[column] = ""  # whatever was guessed, nothing reads it now
    preview = transfer.preview(blank_plan, table, transfer.ColumnMapping(0, columns))

    assert [(u.index, u.header, u.samples) for u in preview.unmapped] == [
        (column, header, ["alpha", "beta", "gamma"])
    ]


def test_an_empty_unmapped_column_is_not_a_warning(blank_plan):
    table, mapping = read("Theme,Action,Notes,Led by\nVisibility,Count technicians,,PL\n")
    assert transfer.preview(blank_plan, table, mapping).unmapped == []


def test_an_unknown_owner_code_is_one_problem_however_many_rows_use_it(blank_plan):
    table, mapping = read(
        "Theme,Action,Led by\nVisibility,One,HR\nVisibility,Two,HR/XY\nVisibility,Three,hr\n"
    )
    preview = transfer.preview(blank_plan, table, mapping)
    assert [(p.row, p.message) for p in preview.problems] == [
        (
            2,
            "‘HR’ in ‘Led by’ is not in the plan's key (rows 2, 3 and 4). Add it to the key, "
            "or correct those rows.",
        ),
        (3, "‘XY’ in ‘Led by’ is not in the plan's key. Add it to the key, or correct the row."),
    ]
    assert preview.unknown_codes == ["HR", "XY"]


def test_phase_columns_without_dates_wait_for_their_months(blank_plan, lead_of_org_a):
    table, mapping = read(PHASED_CSV)
    assert transfer.undated_phases(blank_plan, table[0], mapping.columns) == [
        (3, "Phase 1"),
        (4, "Phase 2"),
        (5, "Phase 3"),
    ]
    waiting = transfer.preview(blank_plan, table, mapping)
    assert [p.message for p in waiting.problems if not p.code] == [
        f"Give the first and last month of ‘Phase {n}’ (the column ‘phase_{n}’ does not say "
        "when it runs)."
        for n in (1, 2, 3)
    ]

    periods = {
        3: (date(2027, 1, 1), date(2027, 12, 1)),
        4: (date(2028, 1, 1), date(2028, 6, 1)),
        5: (date(2028, 7, 1), date(2028, 12, 1)),
    }
    preview = transfer.preview(blank_plan, table, mapping, periods=periods)
    assert preview.unmapped == []
    codes = preview.unknown_codes
    assert codes == ["PS", "PL", "M&C", "G", "PT"]
    transfer.apply(blank_plan, preview, by=lead_of_org_a, add_codes=codes)

    assert list(blank_plan.owner_codes.values_list("code", flat=True)) == codes
    assert [(p.name, p.starts_on, p.ends_on) for p in blank_plan.phases.all()] == [
        ("Phase 1", date(2027, 1, 1), date(2027, 12, 1)),
        ("Phase 2", date(2028, 1, 1), date(2028, 6, 1)),
        ("Phase 3", date(2028, 7, 1), date(2028, 12, 1)),
    ]
    actions = Action.objects.filter(plan=blank_plan).order_by("pk")
    assert [a.led_by for a in actions] == ["PS/PL", "PL/M&C", "G/PT", "PT", "PS/G/PT"]
    assert [a.status for a in actions] == ["not_started", "amber", "red", "complete", "not_started"]


def test_the_lead_enters_the_phase_periods_on_the_preview(client, blank_plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    client.post(url(blank_plan, "import"), {"file": upload("phased.csv", PHASED_CSV)})
    page = client.get(url(blank_plan, "import_preview")).content.decode()
    assert "When each phase runs" in page
    assert 'for="id_phase_3_from">First month of Phase 1</label>' in page
    assert "Import 5 actions" not in page

    columns = {
        f"column_{i}": f
        for i, f in enumerate(
            transfer.guess_mapping(transfer.read_table(upload("p.csv", PHASED_CSV))).columns
        )
    }
    periods = {
        "phase_3_from": "Jan 2027",
        "phase_3_to": "Dec 2027",
        "phase_4_from": "Jan 2028",
        "phase_4_to": "Jun 2028",
        "phase_5_from": "Jul 2028",
        "phase_5_to": "Dec 2028",
    }
    page = client.get(url(blank_plan, "import_preview"), {**columns, **periods}).content.decode()
    assert "Phase 1 (Jan 2027 to Dec 2027)" in page
    assert "<td>Mar 2027</td>" in page
    assert "2027-03" not in page
    assert 'value="Jan 2027"' in page  # the months travel with the confirmation

    codes = ["PS", "PL", "M&C", "G", "PT"]
    response = client.post(
        url(blank_plan, "import_confirm"), {**columns, **periods, "add_code": codes}
    )
    assert response.status_code == 302
    assert blank_plan.actions.count() == 5
    assert list(blank_plan.owner_codes.values_list("code", flat=True)) == codes


def test_a_month_that_is_not_one_is_an_error_linked_from_the_summary(
    client, blank_plan, lead_of_org_a
):
    client.force_login(lead_of_org_a)
    client.post(url(blank_plan, "import"), {"file": upload("phased.csv", PHASED_CSV)})
    page = client.get(
        url(blank_plan, "import_preview"),
        {
            "column_0": "theme",
            "column_1": "title",
            "column_3": "phase",
            "phase_3_from": "Smarch 2027",
        },
    ).content.decode()
    assert (
        '<a href="#id_phase_3_from">First month of Phase 1: ‘Smarch 2027’ is not a month.' in page
    )
    assert 'value="Smarch 2027"' in page


# --- The owner key's order ---------------------------------------------------------------------


def test_the_key_keeps_the_files_order(blank_plan, lead_of_org_a):
    table, mapping = read(
        "Theme,Action,Led by\nVisibility,One,ZZ\n\nKey\nCode,Title\nZZ,Zeta\nAA,Alpha\nMM,Mu\n"
    )
    transfer.apply(blank_plan, transfer.preview(blank_plan, table, mapping), by=lead_of_org_a)
    assert list(blank_plan.owner_codes.values_list("code", flat=True)) == ["ZZ", "AA", "MM"]


def test_moving_a_code_in_the_key(blank_plan):
    for code in ("A", "B", "C"):
        services.add_owner_code(blank_plan, code, f"Stands for {code}")
    services.move_owner_code(blank_plan.owner_codes.get(code="C"), -2)
    assert list(blank_plan.owner_codes.values_list("code", flat=True)) == ["C", "A", "B"]
    services.move_owner_code(blank_plan.owner_codes.get(code="C"), 5)
    assert list(blank_plan.owner_codes.values_list("code", flat=True)) == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("person", "result"), matrix({"lead_of_org_a"}, ok=302), indirect=["person"]
)
def test_who_may_reorder_the_key(client_as, person, result, blank_plan):
    for code in ("A", "B"):
        services.add_owner_code(blank_plan, code, f"Stands for {code}")
    owner = blank_plan.owner_codes.get(code="B")
    response = client_as(person).post(
        reverse("actionplans:move_code", args=["aldermoor", blank_plan.pk, owner.pk]),
        {"direction": "up"},
    )
    assert outcome(response) == result
    order = list(blank_plan.owner_codes.values_list("code", flat=True))
    assert order == (["B", "A"] if result == 302 else ["A", "B"])


def test_the_settings_page_moves_codes_and_the_export_follows(client, plan, lead_of_org_a):
    """The plan's key is PL, PT, G; G moved to the top leads the key in the export too."""
    client.force_login(lead_of_org_a)
    page = client.get(url(plan, "settings")).content.decode()
    assert "move G up the key" in page
    assert "move G down the key" not in page  # already the last
    assert "move PL up the key" not in page  # already the first
    g = plan.owner_codes.get(code="G")
    for _ in range(2):
        response = client.post(
            reverse("actionplans:move_code", args=["aldermoor", plan.pk, g.pk]), {"direction": "up"}
        )
    assert response.url == f"{plan.get_absolute_url()}settings/#key-title"
    table = exports.plan_table(plan)
    key = table[table.index(exports.KEY_HEADER) + 2 :]
    assert [row[0] for row in key if row[0]] == ["G", "PL", "PT"]
