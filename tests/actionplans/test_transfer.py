"""Import and export of action plans: the fictional phased plan imports row for row, every kind of
file that cannot be imported is refused with nothing saved, an exported plan imports as itself,
and every URL for every persona."""

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans import exports, services, transfer
from actionplans.enums import Status, TimingStyle
from actionplans.models import Action, OwnerCode
from tests.actionplans.fixtures import make_phased_plan
from tests.matrix import is_allowed, matrix, outcome

FIXTURES = Path(__file__).with_name("fixtures")


def month(text: str) -> date:
    return datetime.strptime(text, "%b-%y").date()  # noqa: DTZ007 - a calendar month


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    if isinstance(content, str):
        content = content.encode("utf-8")
    return SimpleUploadedFile(name, content)


def phased_plan_file() -> SimpleUploadedFile:
    return upload("phased_plan.xlsx", (FIXTURES / "phased_plan.xlsx").read_bytes())


def import_into(plan, file, by, add_codes=()):
    table = transfer.read_table(file)
    preview = transfer.preview(plan, table, transfer.guess_mapping(table))
    transfer.apply(plan, preview, by=by, add_codes=add_codes)
    return preview


def preview_of(plan, file):
    table = transfer.read_table(file)
    return transfer.preview(plan, table, transfer.guess_mapping(table))


@pytest.fixture
def blank_plan(org_a, lead_of_org_a):
    """Organisation A's new 36-month plan from September 2026: no phases, no key, no actions."""
    return services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2026, 9, 1), horizon_months=36
    )


def imported_rows(plan) -> list[tuple]:
    phases = list(plan.phases.order_by("position"))
    rows = []
    for action in Action.objects.live().filter(plan=plan).select_related("heading__theme"):
        targets = {t.phase_id: t.month for t in action.phase_targets.all()}
        rows.append(
            (
                action.heading.name,
                action.title,
                action.led_by,
                *(targets.get(p.pk) for p in phases),
                action.success_criteria,
                action.status,
            )
        )
    return rows


_ = None
NS, RED, AMBER, GREEN = Status.NOT_STARTED, Status.RED, Status.AMBER, Status.GREEN
# fmt: off
PHASED_PLAN = [
    ("Ongoing actions", "Agree project sponsorship and governance for the plan's final phase", "PL", _, month("Mar-28"), _, "Sponsor for phase 3 confirmed by the Technical Steering Board", NS),  # noqa: E501
    ("Ongoing actions", "Prepare the next self-assessment and 36-month action plan", "PL", _, month("Sep-27"), month("Jul-29"), "Self-assessment submitted on time and accepted", AMBER),  # noqa: E501
    ("Ongoing actions", "Keep an up-to-date list of accredited training open to technicians", "PT", _, month("Nov-27"), _, "List published on the staff intranet", NS),  # noqa: E501
    ("Ongoing actions", "Encourage departments to showcase technicians' work locally", "S", _, _, month("Jun-29"), "Departmental showcases held; nominations for internal awards", NS),  # noqa: E501
    ("Ongoing actions", "Grow the technician network and its peer mentoring scheme", "PL", month("Mar-27"), _, month("Oct-28"), "Forty technicians in the mentoring scheme", GREEN),  # noqa: E501
    ("Ongoing actions", "Measure how technical staff shape the student learning experience", "G", _, month("Jan-28"), _, "Student survey items and module feedback analysed", NS),  # noqa: E501
    ("Ongoing actions", "Invite technical staff to take part in the plan's working groups", "PT", _, _, month("Oct-28"), "Every faculty represented in the working groups", NS),  # noqa: E501
    ("Visibility", "Write a communications plan for technician stories on the website and in print", "M&C/PL", _, month("Nov-27"), _, "Web pages, newsletter features and a prospectus spread", NS),  # noqa: E501
    ("Visibility", "Run a termly technician bulletin and open lab afternoons", "PT", _, month("Dec-27"), _, "Bulletin issued each term; open afternoons attended", AMBER),  # noqa: E501
    ("Visibility", "Set up exchange visits with two partner colleges", "PL", _, month("Feb-28"), _, "Joint training days and shared projects", NS),  # noqa: E501
    ("Visibility", "Hold a technical staff conference every two years from 2028/29", "PL", _, _, month("Jul-29"), "Attendance and feedback records", NS),  # noqa: E501
    ("Visibility", "Count every technician employed across the university", "PT", _, month("Nov-27"), _, "HR records reconciled with the technician census", RED),  # noqa: E501
    ("Recognition", "Promote professional registration with support from the steering board", "G", _, month("Mar-28"), _, "More technicians professionally registered", NS),  # noqa: E501
    ("Recognition", "Increase nominations of technicians for national awards", "PT", _, month("Jun-28"), month("Jun-29"), "Nominations submitted each year", NS),  # noqa: E501
    ("Recognition", "Record the part technicians play in teaching", "PL", _, month("Dec-27"), _, "Teaching contributions recorded in workload returns", NS),  # noqa: E501
    ("Recognition", "Explore a joint technician and teaching fellow role with a fair grading review", "PL/G", _, _, month("Sep-28"), "Role profile approved and first posts filled", NS),  # noqa: E501
    ("Recognition", "Add a technician category to the Vice-Chancellor's staff awards", "PS/G", _, _, month("Sep-28"), "First award presented", NS),  # noqa: E501
    ("Recognition", "Apply for Employer Champion status", "PL", _, _, month("Sep-28"), "Application submitted", NS),  # noqa: E501
    ("Recognition", "Review pay, grading and progression criteria for technical roles across faculties", "PS/G", _, _, month("Sep-28"), "Review approved by the executive", NS),  # noqa: E501
    ("Career Development", "Publish case studies of technician career paths in each discipline", "PT", _, _, month("Dec-28"), "Case studies and career maps online", NS),  # noqa: E501
    ("Career Development", "Open apprenticeships, mentoring, coaching and work shadowing to technical staff", "PT", _, month("Mar-28"), _, "Shadowing scheme running; career pathway workshops held", NS),  # noqa: E501
    ("Career Development", "Gather career planning toolkits in one place", "PT", _, month("Mar-28"), _, "Toolkit page live", NS),  # noqa: E501
    ("Career Development", "Take an active part in the regional technician development network", "PL", _, _, month("Dec-28"), "University hosts regional events", NS),  # noqa: E501
    ("Sustainability", "Find where workload leaves no time for training away from the job", "PL", _, month("Feb-28"), _, "Paper with recommendations to the steering board", NS),  # noqa: E501
    ("Sustainability", "Plan succession for specialist technical roles", "PL/G", _, _, month("Dec-28"), "Paper with recommendations to the steering board", NS),  # noqa: E501
    ("Sustainability", "Set out how professional registration and apprenticeships will be funded", "PL/G", _, _, month("Feb-29"), "Workshops, drop-in sessions and guidance pages", NS),  # noqa: E501
    ("Sustainability", "Show the effect of technical staff on students' experience", "PL", _, _, month("Mar-29"), "Module questionnaires and survey feedback", NS),  # noqa: E501
    ("Sustainability", "Work with local schools to promote technical careers and work experience", "PL", _, month("Mar-28"), _, "Partnership with the local schools trust", NS),  # noqa: E501
    ("Sustainability", "Offer more student placements in technical teams with guidance for managers", "PL", _, _, month("Sep-29"), "Guidance and resources published", NS),  # noqa: E501
    ("Sustainability", "Self-assess every year to keep Employer Champion status", "PL", _, month("Aug-28"), month("Aug-29"), "Self-assessment completed; status kept", NS),  # noqa: E501
    ("Sustainability", "Meet the Employer Champion criteria across the university", "PS/PL/G", _, _, month("Feb-29"), "Criteria met, application completed, award received", NS),  # noqa: E501
    ("Staff wellbeing", "Collect wellbeing resources suited to technical staff and promote them", "PT", _, _, month("Feb-29"), "Support services, coaching and mentoring links published", NS),  # noqa: E501
    ("Staff wellbeing", "Identify pressures on technicians' work-life balance", "PS/G", _, _, month("Feb-29"), "Action plans agreed for the issues found", NS),  # noqa: E501
]
# fmt: on


# --- The fictional phased plan ---------------------------------------------------------------


def test_the_phased_plan_imports_every_row(blank_plan, lead_of_org_a):
    preview = import_into(blank_plan, phased_plan_file(), lead_of_org_a)

    assert preview.problems == []
    assert imported_rows(blank_plan) == PHASED_PLAN


def test_the_phased_plan_brings_its_headings_phases_key_and_status_words(blank_plan, lead_of_org_a):
    import_into(blank_plan, phased_plan_file(), lead_of_org_a)

    headings = [(h.name, h.is_theme) for h in blank_plan.headings.select_related("theme")]
    assert headings == [
        ("Ongoing actions", False),
        ("Visibility", True),
        ("Recognition", True),
        ("Career Development", True),
        ("Sustainability", True),
        ("Staff wellbeing", False),
    ]
    assert [(p.name, p.starts_on, p.ends_on) for p in blank_plan.phases.all()] == [
        ("Phase 1", date(2026, 9, 1), date(2027, 8, 1)),
        ("Phase 2", date(2027, 9, 1), date(2028, 8, 1)),
        ("Phase 3", date(2028, 9, 1), date(2029, 9, 1)),
    ]
    assert [(c.code, c.title) for c in blank_plan.owner_codes.all()] == [
        ("PS", "Project Sponsor"),
        ("G", "Governance"),
        ("PL", "Project Lead"),
        ("PT", "Project Team"),
        ("S", "Stakeholders"),
        ("M&C", "Marketing and Communications"),
    ]
    wording = services.wording_for(blank_plan)
    assert [wording[s].label for s in (Status.RED, Status.AMBER, Status.GREEN)] == [
        "Delayed",
        "In progress",
        "Completed-Start pending",
    ]
    assert blank_plan.timing_style == TimingStyle.PHASES


def test_the_fixture_is_what_its_script_writes(tmp_path):
    rebuilt = make_phased_plan.build(tmp_path / "rebuilt.xlsx")
    with rebuilt.open("rb") as new:
        assert transfer.read_table(new) == transfer.read_table(phased_plan_file())


def test_the_real_seed_plan_imports_the_same_way(org_b, lead_of_org_b, shared_seed):
    """Seed 000's table, as the tab-separated text it was extracted to (never copied here)."""
    seed = shared_seed("000_679e162bc2d1a3e6.txt")
    plan = services.create_plan(
        org_b, by=lead_of_org_b, starts_on=date(2017, 6, 1), horizon_months=36
    )
    lines = seed.read_text(encoding="utf-8").splitlines()[159:211]
    source = upload("seed.tsv", "\n".join(lines))
    rows = list(csv.reader(lines[3:], delimiter="\t"))
    expected, heading = [], None
    for row in rows[: rows.index(["Key", "", "RAG"]) - 1]:
        if not any(row[1:]):
            heading = row[0]
            continue
        targets = [month(m) if m else None for m in row[2:5]]
        expected.append((heading, row[0], row[1], *targets, row[5], Status.NOT_STARTED))

    preview = import_into(plan, source, lead_of_org_b)

    assert (preview.problems, len(expected)) == ([], 33)
    assert imported_rows(plan) == expected
    assert plan.headings.count() == 6
    assert plan.owner_codes.count() == 6
    assert [p.name for p in plan.phases.all()] == ["Phase 1", "Phase 2", "Phase 3"]


# --- Refusals: nothing is saved --------------------------------------------------------------

MINIMAL_CSV = "Theme/Action,Led by,Phase 1,Success criteria\nVisibility\n{row}\n"


def refused_message(file) -> str:
    with pytest.raises(transfer.ImportRefused) as refused:
        transfer.read_table(file)
    return str(refused.value)


def empty_workbook() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


WRONG_TYPE = (
    "‘{}’ is not an Excel workbook (.xlsx) or a UTF-8 CSV file. Save it from your spreadsheet "
    "as .xlsx or as “CSV UTF-8” and upload that."
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n", WRONG_TYPE.format("plan.pdf")),
        ("plan.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", WRONG_TYPE.format("plan.xlsx")),
        (
            "old.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            WRONG_TYPE.format("old.xlsx"),
        ),  # noqa: E501
        ("letter.xlsx", word_document(), WRONG_TYPE.format("letter.xlsx")),
        ("latin1.csv", "Théme,Action\n".encode("latin-1"), WRONG_TYPE.format("latin1.csv")),
        (
            "empty.xlsx",
            empty_workbook(),
            "The file has no rows to import: its first sheet is empty.",
        ),  # noqa: E501
        ("empty.csv", b"\n,,\n", "The file has no rows to import: its first sheet is empty."),
        (
            "big.csv",
            b"a" * (10 * 1024 * 1024 + 1),
            "The file is larger than 10 MB. Remove pictures or extra sheets and upload it again.",
        ),
    ],
    ids=[
        "pdf",
        "pdf-named-xlsx",
        "xls-named-xlsx",
        "docx-named-xlsx",
        "not-utf8",
        "empty-sheet",
        "empty-csv",
        "over-10-mb",
    ],
)
def test_files_that_cannot_be_read_are_refused(name, content, message):
    assert refused_message(upload(name, content)) == message


def test_a_file_without_a_header_row_is_refused():
    file = upload("list.csv", "Things to do\nName technicians\n")
    with pytest.raises(transfer.ImportRefused) as refused:
        transfer.guess_mapping(transfer.read_table(file))
    assert str(refused.value) == (
        "No row of the file names its columns. The header row needs an action column (such as "
        "‘Action’ or ‘Theme/Action’) and at least one other, such as ‘Led by’."
    )


def problems_and_nothing_saved(plan, lead, file, add_codes=()):
    before = Action.objects.count(), OwnerCode.objects.count()
    preview = preview_of(plan, file)
    with pytest.raises(transfer.ImportRefused) as refused:
        transfer.apply(plan, preview, by=lead, add_codes=add_codes)
    assert (Action.objects.count(), OwnerCode.objects.count()) == before
    return [(p.row, p.message, p.code) for p in preview.problems], str(refused.value)


def test_no_theme_column_is_refused(plan, lead_of_org_a):
    file = upload("plan.csv", "Action,Led by\nName technicians on posters,PL\n")
    assert problems_and_nothing_saved(plan, lead_of_org_a, file) == (
        [
            (
                1,
                "The file has no theme column and no theme heading rows, so its actions cannot "
                "be put under themes. Add a ‘Theme’ column, or a row with only the theme's name "
                "above its actions.",
                "",
            )
        ],
        "1 row cannot be read, so nothing was imported.",
    )


def test_an_unknown_owner_code_is_refused_and_offered_for_the_key(plan, lead_of_org_a):
    file = upload("plan.csv", MINIMAL_CSV.format(row="Name technicians,PL/HR,Mar 2027,Posters"))
    assert problems_and_nothing_saved(plan, lead_of_org_a, file) == (
        [
            (
                3,
                "‘HR’ in ‘Led by’ is not in the plan's key. Add it to the key, or correct the row.",
                "HR",
            )
        ],
        "1 row cannot be read, so nothing was imported.",
    )
    assert preview_of(plan, file).unknown_codes == ["HR"]


def test_an_unknown_code_added_to_the_key_imports(plan, lead_of_org_a):
    file = upload("plan.csv", MINIMAL_CSV.format(row="Name technicians,PL/HR,Mar 2027,Posters"))

    import_into(plan, file, lead_of_org_a, add_codes={"HR": "Human Resources"})

    assert plan.owner_codes.get(code="HR").title == "Human Resources"
    assert imported_rows(plan) == [
        ("Visibility", "Name technicians", "PL/HR", date(2027, 3, 1), _, _, "Posters", NS)
    ]


def test_an_unreadable_month_is_refused(plan, lead_of_org_a):
    file = upload("plan.csv", MINIMAL_CSV.format(row="Name technicians,PL,Octob-18,Posters"))
    assert problems_and_nothing_saved(plan, lead_of_org_a, file) == (
        [
            (
                3,
                "‘Octob-18’ in ‘Phase 1’ is not a month. Write months like Oct-18, Oct 2018, "
                "10/2018 or 2018-10.",
                "",
            )
        ],
        "1 row cannot be read, so nothing was imported.",
    )


def test_an_unreadable_target_date_and_an_unknown_status_are_refused(plan, lead_of_org_a):
    file = upload(
        "plan.csv",
        "Theme,Action,Target date,RAG\n"
        "Recognition,Nominate technicians,31 Febtember 2027,Amber\n"
        "Recognition,Celebrate awards,2027-06-30,Greenish\n"
        "Recognition,,2027-06-30,Amber\n",
    )
    problems, refusal = problems_and_nothing_saved(plan, lead_of_org_a, file)
    assert problems == [
        (
            2,
            "‘31 Febtember 2027’ in ‘Target date’ is not a date. Write dates like 31/10/2018, "
            "31 Oct 2018 or 2018-10-31.",
            "",
        ),
        (
            3,
            "‘Greenish’ in ‘RAG’ is not one of the plan's statuses: Not started, Delayed, "
            "In progress, On track, Completed.",
            "",
        ),
        (4, "The action has no title in ‘Action’.", ""),
    ]
    assert refusal == "3 rows cannot be read, so nothing was imported."


def test_a_phase_that_disagrees_with_the_plans_is_refused(plan, lead_of_org_a):
    file = upload(
        "plan.csv",
        "Theme/Action,Led by,Phase 1 (Jun 2017 - May 2018)\nVisibility\nName technicians,PL,"
        "Oct-17\n",
    )
    problems, _refusal = problems_and_nothing_saved(plan, lead_of_org_a, file)
    assert problems == [
        (
            1,
            "The plan's ‘Phase 1’ runs Dec 2026 to May 2027; the file's runs Jun 2017 to May "
            "2018. Change one of them so that they agree.",
            "",
        )
    ]


# --- Reading cells ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oct-18", date(2018, 10, 1)),
        ("Oct 2018", date(2018, 10, 1)),
        ("October 2018", date(2018, 10, 1)),
        ("Sept 2018", date(2018, 9, 1)),
        ("10/2018", date(2018, 10, 1)),
        ("2018-10", date(2018, 10, 1)),
        ("2018-10-01", date(2018, 10, 1)),
        ("2018-10-01 00:00:00", date(2018, 10, 1)),
        ("15/10/2018", date(2018, 10, 1)),
    ],
)
def test_months_are_read_in_the_ways_people_write_them(text, expected):
    assert transfer.parse_month(text) == expected


@pytest.mark.parametrize("text", ["Octob-18", "13/2018", "2018-13", "soon", "Q3 2018"])
def test_what_is_not_a_month(text):
    with pytest.raises(ValueError, match=text):
        transfer.parse_month(text)


def test_a_semicolon_in_a_tab_separated_file_does_not_fool_the_delimiter(plan, lead_of_org_a):
    file = upload(
        "plan.txt",
        "Theme/Action\tLed by\tPhase 1\tSuccess criteria\nVisibility\n"
        "Name technicians\tPL\tMar-27\tPosters; web pages\n",
    )
    import_into(plan, file, lead_of_org_a)
    assert imported_rows(plan) == [
        ("Visibility", "Name technicians", "PL", date(2027, 3, 1), _, _, "Posters; web pages", NS)
    ]


def test_a_theme_column_and_focus_years(blank_plan, lead_of_org_a):
    file = upload(
        "years.csv",
        "Theme,Action,Led by,2027,2028,2029,Status,Comment\n"
        "career development,Map career paths,,✓,,x,Amber,Started in one faculty\n"
        ",Publish case studies,,,yes,,,\n"
        "Technician voice,Run a survey,,,,✓,green,\n",
    )
    import_into(blank_plan, file, lead_of_org_a)
    actions = Action.objects.filter(plan=blank_plan).select_related("heading__theme")
    assert [
        (a.heading.name, a.heading.is_theme, a.title, a.focus_years, a.status, a.comment)
        for a in actions
    ] == [
        (
            "Career Development",
            True,
            "Map career paths",
            [2027, 2029],
            AMBER,
            "Started in one faculty",
        ),  # noqa: E501
        ("Career Development", True, "Publish case studies", [2028], NS, ""),
        ("Technician voice", False, "Run a survey", [2029], GREEN, ""),
    ]
    blank_plan.refresh_from_db()
    assert blank_plan.timing_style == TimingStyle.YEARS


# --- Export ----------------------------------------------------------------------------------


def snapshot(plan) -> dict:
    """Everything an export carries, comparable between two plans."""
    plan.refresh_from_db()
    wording = services.wording_for(plan)
    return {
        "timing": plan.timing_style,
        "headings": [h.name for h in plan.headings.select_related("theme")],
        "phases": [(p.name, p.starts_on, p.ends_on) for p in plan.phases.all()],
        "key": [(c.code, c.title) for c in plan.owner_codes.all()],
        "wording": [wording[s].label for s in Status],
        "actions": [
            (
                a.heading.name,
                a.title,
                a.description,
                a.led_by,
                a.target_on,
                a.focus_years,
                a.success_criteria,
                a.status,
                a.comment,
                sorted((t.phase.name, t.month) for t in a.phase_targets.all()),
            )
            for a in Action.objects.live().filter(plan=plan).select_related("heading__theme")
        ],
    }


@pytest.mark.parametrize("exporter", [exports.PlanCsvExporter, exports.PlanXlsxExporter])
def test_an_exported_plan_imports_as_the_same_plan(
    exporter, blank_plan, lead_of_org_a, org_b, lead_of_org_b
):
    import_into(blank_plan, phased_plan_file(), lead_of_org_a)
    first = blank_plan.actions.first()
    services.save_action(
        first,
        base_version=first.version,
        by=lead_of_org_a,
        description="Agreed at the October board.\nMinuted.",
        comment='Waiting for the board\'s reply, "soon".',
    )
    filename, _content_type, content = exporter().render(blank_plan)
    copy = services.create_plan(
        org_b, by=lead_of_org_b, starts_on=date(2026, 9, 1), horizon_months=36
    )

    import_into(copy, upload(filename, content), lead_of_org_b)

    assert snapshot(copy) == snapshot(blank_plan)


@pytest.mark.parametrize("style", [TimingStyle.YEARS, TimingStyle.DATES])
def test_focus_year_and_target_date_plans_survive_the_round_trip(
    style, org_a, lead_of_org_a, org_b, lead_of_org_b
):
    plan = services.create_plan(
        org_a, by=lead_of_org_a, starts_on=date(2027, 1, 1), timing_style=style
    )
    services.set_wording(plan, Status.NOT_STARTED, "Work yet to be started")
    services.set_wording(plan, Status.COMPLETE, "Work substantially completed")
    services.add_heading(plan, "Technician voice")
    heading = plan.headings.get(theme__slug="sustainability")
    services.add_action(
        heading,
        by=lead_of_org_a,
        title="Start an apprenticeship scheme",
        focus_years=[2027, 2028] if style == TimingStyle.YEARS else [],
        target_on=date(2028, 3, 31),
        status=Status.COMPLETE,
    )
    copy = services.create_plan(org_b, by=lead_of_org_b, starts_on=date(2027, 1, 1))
    for exporter in (exports.PlanCsvExporter, exports.PlanXlsxExporter):
        filename, _content_type, content = exporter().render(plan)
        Action.objects.filter(plan=copy).delete()
        import_into(copy, upload(filename, content), lead_of_org_b)
        assert snapshot(copy) == snapshot(plan)


def test_the_csv_export_of_a_small_plan(plan, heading, lead_of_org_a):
    services.add_action(
        heading("visibility"),
        by=lead_of_org_a,
        title="Name technicians on research outputs",
        led_by="PL/G",
        targets={plan.phases.get(name="Phase 2").pk: date(2027, 10, 1)},
        success_criteria="Policy agreed, with examples",
        status=Status.AMBER,
    )
    services.add_heading(plan, "Technician voice")
    services.add_action(
        plan.headings.get(own_name="Technician voice"),
        by=lead_of_org_a,
        title="Survey technicians each year",
        led_by="PT",
        comment="First survey closed",
    )

    filename, content_type, content = exports.PlanCsvExporter().render(plan)

    assert (filename, content_type) == (
        "aldermoor-action-plan-2026-12.csv",
        "text/csv; charset=utf-8",
    )  # noqa: E501
    assert content.decode("utf-8") == (
        "\ufeffUniversity of Aldermoor Technician Commitment Action Plan 2026–2028\r\n"
        "\r\n"
        "Theme/Action,Led by,Phase 1 (Dec 2026 to May 2027),Phase 2 (Jun 2027 to May 2028),"
        "Phase 3 (Jun 2028 to Nov 2028),Success criteria,Status,Description,Comment\r\n"
        "Visibility\r\n"
        'Name technicians on research outputs,PL/G,,Oct 2027,,"Policy agreed, with examples",'
        "In progress,,\r\n"
        "Recognition\r\n"
        "Career Development\r\n"
        "Sustainability\r\n"
        "Technician voice\r\n"
        "Survey technicians each year,PT,,,,,Not started,,First survey closed\r\n"
        "\r\n"
        "Key,,Status,Means\r\n"
        "Code,Title,,\r\n"
        "PL,Project Lead,Not started,Not started\r\n"
        "PT,Project Team,Delayed,Red\r\n"
        "G,Governance,In progress,Amber\r\n"
        ",,On track,Green\r\n"
        ",,Completed,Complete\r\n"
    )


def plan_with_actions(plan, heading, lead, count):
    phase = plan.phases.first()
    for n in range(count):
        services.add_action(
            heading("recognition"),
            by=lead,
            title=f"Action {n}",
            targets={phase.pk: phase.starts_on},
        )


@pytest.mark.parametrize("exporter", [exports.PlanCsvExporter, exports.PlanXlsxExporter])
@pytest.mark.parametrize("count", [10, 100])
def test_exports_take_the_same_queries_whatever_the_plans_size(
    exporter, count, plan, heading, lead_of_org_a, django_assert_max_num_queries
):
    plan_with_actions(plan, heading, lead_of_org_a, count)
    with django_assert_max_num_queries(6):
        exporter().render(plan)


# --- Pages -----------------------------------------------------------------------------------

READERS = {
    "lead_of_org_a",
    "contributor_of_org_a",
    "sponsor_of_org_a",
    "leader_of_org_a",
    "administrator",
}
SHAPERS = {"lead_of_org_a"}
SMALL_IMPORT = MINIMAL_CSV.format(row="Name technicians,PL,Mar 2027,Posters")


def url(plan, name, *args):
    return reverse(f"actionplans:{name}", args=[plan.organisation.slug, plan.pk, *args])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("person", "result"), matrix(READERS), indirect=["person"])
def test_exporting(client_as, person, result, plan, fmt):
    response = client_as(person).get(url(plan, "export", fmt))
    assert outcome(response) == result
    if is_allowed(result):
        assert response["Content-Disposition"] == (
            f'attachment; filename="aldermoor-action-plan-2026-12.{fmt}"'
        )
        assert response["Content-Type"] == exports.EXPORTERS[fmt].content_type


def test_an_unknown_export_format_is_not_found(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    assert client.get(url(plan, "export", "pdf")).status_code == 404


@pytest.mark.parametrize(("person", "result"), matrix(SHAPERS), indirect=["person"])
def test_the_upload_page(client_as, person, result, plan):
    response = client_as(person).get(url(plan, "import"))
    assert outcome(response) == result
    if is_allowed(result):
        assert "Import actions from a spreadsheet" in response.content.decode()


@pytest.mark.parametrize(("person", "result"), matrix(SHAPERS, ok=302), indirect=["person"])
def test_uploading_and_checking(client_as, person, result, plan):
    client = client_as(person)
    response = client.post(url(plan, "import"), {"file": upload("plan.csv", SMALL_IMPORT)})
    assert outcome(response) == result
    if is_allowed(result):
        assert response.url == url(plan, "import_preview")
    preview = client.get(url(plan, "import_preview"))
    assert outcome(preview) == (200 if is_allowed(result) else result)
    if is_allowed(result):
        page = preview.content.decode()
        assert "Check the import of ‘plan.csv’" in page
        assert "Import 1 action</button>" in page
    assert Action.objects.filter(plan=plan).count() == 0


@pytest.mark.parametrize(("person", "result"), matrix(SHAPERS, ok=302), indirect=["person"])
def test_confirming(client_as, person, result, plan, lead_of_org_a, client):
    client.force_login(lead_of_org_a)
    client.post(url(plan, "import"), {"file": upload("plan.csv", SMALL_IMPORT)})
    if person != lead_of_org_a:
        client.logout()
        client = client_as(person)
    data = {"column_0": "title", "column_1": "led_by", "column_2": "phase", "column_3": ""}
    response = client.post(url(plan, "import_confirm"), data)
    assert outcome(response) == result
    if is_allowed(result):
        assert response.url == f"/organisations/aldermoor/action-plans/{plan.pk}/"
    assert list(Action.objects.filter(plan=plan).values_list("title", "success_criteria")) == (
        [("Name technicians", "")] if is_allowed(result) else []
    )


def test_another_organisations_lead_gets_404_through_their_own_slug(client, plan, lead_of_org_b):
    client.force_login(lead_of_org_b)
    for name, args in [
        ("export", ["csv"]),
        ("import", []),
        ("import_preview", []),
    ]:
        assert (
            client.get(url(plan, name, *args).replace("aldermoor", "brackenfield")).status_code
            == 404
        )  # noqa: E501
    confirm = url(plan, "import_confirm").replace("aldermoor", "brackenfield")
    assert client.post(confirm).status_code == 404


def test_the_whole_import_in_the_browser(client, blank_plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    client.post(url(blank_plan, "import"), {"file": phased_plan_file()})
    page = client.get(url(blank_plan, "import_preview")).content.decode()
    assert "Import 33 actions</button>" in page
    assert page.count('<th scope="row">') == 33

    response = client.post(
        url(blank_plan, "import_confirm"),
        {f"column_{i}": f for i, f in enumerate(make_phased_plan_columns())},
    )

    assert response.status_code == 302
    assert response.url == blank_plan.get_absolute_url()
    assert imported_rows(blank_plan) == PHASED_PLAN
    assert client.get(url(blank_plan, "import_preview")).url == url(blank_plan, "import")
    assert (
        "Imported 33 actions from ‘phased_plan.xlsx’." in client.get(response.url).content.decode()
    )


def make_phased_plan_columns():
    return ["title", "led_by", "phase", "phase", "phase", "success_criteria", "status"]


def test_a_refused_upload_says_why_and_keeps_nothing(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    response = client.post(url(plan, "import"), {"file": upload("plan.xlsx", b"%PDF-1.7\n")})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_file">Spreadsheet: ‘plan.xlsx’ is not an Excel workbook' in page
    assert f"actionplans.import.{plan.pk}" not in client.session


def test_the_preview_lists_problem_rows_and_offers_unknown_codes(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    content = (
        MINIMAL_CSV.format(row="Name technicians,PL/HR,Mar 2027,Posters") + "Thank,PL,Octob-18,x\n"
    )  # noqa: E501
    client.post(url(plan, "import"), {"file": upload("plan.csv", content)})
    page = client.get(url(plan, "import_preview")).content.decode()
    assert "2 problems to solve" in page
    assert '<th scope="row">3</th><td>‘HR’ in ‘Led by’ is not in the plan' in page
    assert '<th scope="row">4</th><td>‘Octob-18’ in ‘Phase 1’ is not a month.' in page
    assert "1 row cannot be read; the table of problems says why." in page
    assert "Import " not in page


def test_confirming_with_an_unknown_code_added_to_the_key(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    content = MINIMAL_CSV.format(row="Name technicians,PL/HR,Mar 2027,Posters")
    client.post(url(plan, "import"), {"file": upload("plan.csv", content)})
    page = client.get(url(plan, "import_preview")).content.decode()
    assert 'name="add_code" value="HR"' in page
    columns = {"column_0": "title", "column_1": "led_by", "column_2": "phase"}
    columns["column_3"] = "success_criteria"

    refused = client.post(url(plan, "import_confirm"), columns)
    added = client.post(
        url(plan, "import_confirm"), {**columns, "add_code": "HR", "title:HR": "Human Resources"}
    )

    assert refused.status_code == 400
    assert "1 row cannot be read, so nothing was imported." in refused.content.decode()
    assert added.status_code == 302
    assert plan.owner_codes.get(code="HR").title == "Human Resources"
    assert Action.objects.get(plan=plan).led_by == "PL/HR"


def test_a_get_to_confirm_changes_nothing(client, plan, lead_of_org_a):
    client.force_login(lead_of_org_a)
    client.post(url(plan, "import"), {"file": upload("plan.csv", SMALL_IMPORT)})
    assert client.get(url(plan, "import_confirm")).status_code == 405
    assert Action.objects.filter(plan=plan).count() == 0


def test_status_words_beside_the_key_reword_the_plan(plan, lead_of_org_a):
    file = upload(
        "plan.csv",
        "Theme/Action,Led by,RAG\nVisibility\nName technicians,PL,Completed / start pending\n"
        "Thank technicians,PT,r\n\nKey\nCode,Title,RAG\nPL,Project Lead,Late\n"
        "PT,Project Team,Under way\n,,Completed/Start Pending\n",
    )
    import_into(plan, file, lead_of_org_a)
    wording = services.wording_for(plan)
    assert [wording[s].label for s in Status] == [
        "Not started",
        "Late",
        "Under way",
        "Completed/Start Pending",
        "Completed",
    ]
    assert list(Action.objects.filter(plan=plan).values_list("status", flat=True)) == [GREEN, RED]


def test_a_status_word_the_plan_already_uses_for_another_status_is_refused(plan, lead_of_org_a):
    file = upload(
        "plan.csv",
        "Theme/Action,Led by\nVisibility\nName technicians,PL\n\nKey,,RAG\n"
        "PL,Project Lead,Delayed\nPT,Project Team,In progress\nG,Governance,Completed\n",
    )
    problems, _refusal = problems_and_nothing_saved(plan, lead_of_org_a, file)
    assert problems == [
        (
            5,
            "The key's ‘Completed’ (green) is already the plan's word for complete. Change one "
            "of them, in the plan's settings or in the file.",
            "",
        )
    ]


def test_a_key_without_its_key_row_is_still_the_key(blank_plan, lead_of_org_a):
    file = upload(
        "plan.csv",
        "Theme/Action,Led by,Target date\nVisibility\nName technicians,HoT,31/03/2027\n\n"
        "Code,Title\nHoT,Head of Technical Services\n",
    )
    import_into(blank_plan, file, lead_of_org_a)
    assert [(c.code, c.title) for c in blank_plan.owner_codes.all()] == [
        ("HoT", "Head of Technical Services")
    ]
    assert Action.objects.get(plan=blank_plan).target_on == date(2027, 3, 31)


def test_choosing_the_columns_again_changes_the_preview_and_nothing_else(
    client, plan, lead_of_org_a
):
    client.force_login(lead_of_org_a)
    client.post(url(plan, "import"), {"file": upload("plan.csv", SMALL_IMPORT)})
    ignored = {"column_0": "title", "column_1": "led_by", "column_2": "", "column_3": ""}
    twice = {**ignored, "column_3": "title"}

    page = client.get(url(plan, "import_preview"), ignored).content.decode()
    clash = client.get(url(plan, "import_preview"), twice).content.decode()

    assert '<th scope="col">Phase 1' not in page
    assert "Import 1 action</button>" in page
    assert "<li>Only one column can hold ‘Action’.</li>" in clash
    assert "Import 1 action</button>" not in clash
    assert Action.objects.filter(plan=plan).count() == 0


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Theme/Action", "title"),
        ("Actions", "title"),
        ("Milestone", "title"),
        ("Theme", "theme"),
        ("Led By", "led_by"),
        ("Owner", "led_by"),
        ("Phase 2 (Jun 2018 - May 2019)", "phase"),
        ("2027", "year"),
        ("Target date", "target_on"),
        ("Success Criteria", "success_criteria"),
        ("Evidence of impact", "success_criteria"),
        ("RAG", "status"),
        ("RAG status", "status"),
        ("Progress update", "comment"),
        ("Comments", "comment"),
        ("Description", "description"),
        ("Budget", ""),
    ],
)
def test_what_a_header_is_guessed_to_hold(header, field):
    assert transfer.guess_field(header) == field
