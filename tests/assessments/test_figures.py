"""Figures: checked by what the file is, not what it is called; reached only through the
organisation; changed only by the people who write the self-assessment. Also the "start from the
previous answer" action, which writes like autosave does."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments import services
from assessments.enums import AssessmentStatus
from assessments.images import ImageInfo
from assessments.models import Answer, Figure, Question, SelfAssessment
from signatories.models import Organisation
from tests.assessments.test_views import READERS, WRITERS
from tests.matrix import is_allowed, matrix, outcome


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_bytes(image_format: str, size=(64, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, image_format)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def figures_question(question):
    return question("technician_figures")


@pytest.fixture
def figure(assessment, figures_question, lead_of_org_a):
    png = image_bytes("PNG")
    return services.add_figure(
        assessment,
        figures_question,
        upload=upload("a.png", png),
        info=ImageInfo("png", 64, 32),
        caption="Fig. 1 – Technicians by faculty",
        alt_text="A bar chart.",
        by=lead_of_org_a,
    )


def add_url(assessment, figures_question):
    return reverse("assessments:add_figure", args=["aldermoor", assessment.pk, figures_question.pk])


def post_figure(client, assessment, figures_question, name, content, caption="Fig. 2 – Ages"):
    return client.post(
        add_url(assessment, figures_question),
        {"image": upload(name, content), "caption": caption, "alt_text": "Ages of technicians."},
    )


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_adding_a_figure(client_as, person, result, assessment, figures_question):
    response = post_figure(
        client_as(person), assessment, figures_question, "ages.png", image_bytes("PNG")
    )
    assert outcome(response) == result
    figures = list(Figure.objects.filter(assessment=assessment))
    if is_allowed(result):
        assert response.url.endswith("/sections/2/#figures-technician_figures")
        assert [(f.caption, f.extension, f.width, f.height) for f in figures] == [
            ("Fig. 2 – Ages", "png", 64, 32)
        ]
    else:
        assert figures == []


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("chart.txt", image_bytes("PNG"), "png"),
        ("chart.png", image_bytes("JPEG"), "jpg"),
        ("chart.jpg", image_bytes("GIF"), "gif"),
    ],
)
def test_the_format_comes_from_the_content_not_the_name(
    client, assessment, figures_question, lead_of_org_a, name, content, stored_as
):
    client.force_login(lead_of_org_a)
    post_figure(client, assessment, figures_question, name, content)
    figure = Figure.objects.get(assessment=assessment)
    assert figure.extension == stored_as
    assert figure.image.name.endswith(f".{stored_as}")
    assert name not in figure.image.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "chart.png",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "The file is not an image the portal can read.",
        ),
        ("chart.png", b"MZ\x90\x00 not a picture at all", "The file is not an image the portal"),
        ("chart.png", image_bytes("BMP"), "BMP images cannot be used."),
        ("chart.png", image_bytes("PNG")[:60], "The file is not an image the portal can read."),
    ],
)
def test_a_file_that_is_not_an_allowed_image_is_refused_and_the_typing_kept(
    client, assessment, figures_question, lead_of_org_a, name, content, message
):
    client.force_login(lead_of_org_a)
    response = post_figure(
        client, assessment, figures_question, name, content, caption="Fig. 3 – My caption"
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="Fig. 3 – My caption"' in page
    assert "Ages of technicians.</textarea>" in page
    assert not Figure.objects.exists()


@pytest.mark.parametrize(("person", "result"), matrix(READERS), indirect=["person"])
def test_seeing_a_figure(client_as, person, result, assessment, figure):
    url = reverse("assessments:figure_image", args=["aldermoor", assessment.pk, figure.pk])
    response = client_as(person).get(url)
    assert outcome(response) == result
    if is_allowed(result):
        assert response["Content-Type"] == "image/png"
        served = b"".join(response.streaming_content)
        with figure.image.open("rb") as stored:
            assert served == stored.read()


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_changing_a_figure(client_as, person, result, assessment, figure):
    url = reverse("assessments:change_figure", args=["aldermoor", assessment.pk, figure.pk])
    response = client_as(person).post(url, {"caption": "Fig. 1 – New", "alt_text": "Bars."})
    assert outcome(response) == result
    figure.refresh_from_db()
    assert figure.caption == (
        "Fig. 1 – New" if is_allowed(result) else "Fig. 1 – Technicians by faculty"
    )


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_removing_a_figure(client_as, person, result, assessment, figure):
    url = reverse("assessments:change_figure", args=["aldermoor", assessment.pk, figure.pk])
    response = client_as(person).post(url, {"action": "delete"})
    assert outcome(response) == result
    assert Figure.objects.filter(pk=figure.pk).exists() is (not is_allowed(result))


def test_figures_move_up_and_down(client, assessment, figures_question, figure, lead_of_org_a):
    client.force_login(lead_of_org_a)
    post_figure(client, assessment, figures_question, "b.png", image_bytes("PNG"))
    second = Figure.objects.get(caption="Fig. 2 – Ages")
    url = reverse("assessments:change_figure", args=["aldermoor", assessment.pk, second.pk])
    client.post(url, {"action": "up"})
    order = Figure.objects.filter(assessment=assessment).order_by("position")
    assert [f.caption for f in order] == ["Fig. 2 – Ages", "Fig. 1 – Technicians by faculty"]


def test_another_organisation_reaches_no_figure(client, assessment, figure, lead_of_org_b):
    client.force_login(lead_of_org_b)
    for slug in ("aldermoor", "brackenfield"):
        image = reverse("assessments:figure_image", args=[slug, assessment.pk, figure.pk])
        change = reverse("assessments:change_figure", args=[slug, assessment.pk, figure.pk])
        assert client.get(image).status_code == 404
        assert client.post(change, {"action": "delete"}).status_code == 404
    assert Figure.objects.filter(pk=figure.pk).exists()


def test_figure_files_are_not_served_from_media(client, figure, lead_of_org_a):
    client.force_login(lead_of_org_a)
    assert client.get(f"/media/{figure.image.name}").status_code == 404


# --- Starting from the previous self-assessment's answer --------------------------------------


@pytest.fixture
def later(assessment, org_a, lead_of_org_a, question):
    """A later self-assessment whose previous one answered the same question (profile)."""
    services.save_answer(
        assessment, question(), text="<p>Old profile.</p>", base_version=0, by=lead_of_org_a
    )
    SelfAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.ACCEPTED)
    Organisation.objects.filter(pk=org_a.pk).update(last_assessed_on=date(2026, 11, 30))
    org_a.refresh_from_db()
    later = services.start_assessment(org_a, by=lead_of_org_a, today=date(2028, 9, 1))
    # The later form has no profile question; give this one the early form's, as a copy would.
    SelfAssessment.objects.filter(pk=later.pk).update(form_version=assessment.form_version)
    later.refresh_from_db()
    return later


@pytest.mark.parametrize(("person", "result"), matrix(WRITERS, ok=302), indirect=["person"])
def test_starting_from_the_previous_answer(client_as, person, result, later, question):
    url = reverse("assessments:reuse", args=["aldermoor", later.pk, question().pk])
    response = client_as(person).post(url)
    assert outcome(response) == result
    answer = Answer.objects.filter(assessment=later, question=question()).first()
    if is_allowed(result):
        assert response.url.endswith("/sections/2/#answer-profile")
        assert (answer.text, answer.version) == ("<p>Old profile.</p>", 1)
    else:
        assert answer is None


def test_there_is_nothing_to_start_from_without_a_previous_answer(
    client, assessment, question, lead_of_org_a
):
    client.force_login(lead_of_org_a)
    url = reverse("assessments:reuse", args=["aldermoor", assessment.pk, question().pk])
    assert client.post(url).status_code == 404
    assert not Answer.objects.filter(assessment=assessment, question=question()).exists()


def test_starting_from_the_previous_answer_keeps_the_current_one_in_history(
    client, later, question, lead_of_org_a
):
    services.save_answer(later, question(), text="Typed first.", base_version=0, by=lead_of_org_a)
    client.force_login(lead_of_org_a)
    client.post(reverse("assessments:reuse", args=["aldermoor", later.pk, question().pk]))
    answer = Answer.objects.get(assessment=later, question=question())
    assert answer.text == "<p>Old profile.</p>"
    assert list(answer.revisions.order_by("version").values_list("text", flat=True)) == [
        "<p>Typed first.</p>",
        "<p>Old profile.</p>",
    ]


def test_questions_are_never_reached_through_another_form(client, later, lead_of_org_a):
    other = Question.objects.exclude(section__form_version=later.form_version).first()
    client.force_login(lead_of_org_a)
    url = reverse("assessments:autosave", args=["aldermoor", later.pk, other.pk])
    assert client.post(url, {"text": "x", "version": "0"}).status_code == 404
