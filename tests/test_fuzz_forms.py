"""No input takes the portal down: generated input posted to every form and htmx endpoint, as
every persona, never gets a server error.

The demo data (``seed_demo``) puts organisations at every point of the cycle: plans with
reviews, a self-assessment under review, a published one. Signed in as the personas whose
pages show every form between them, the test reads the portal's pages as a browser would and
collects every form (its action and the real names, values and choices of its fields) and every
htmx or script endpoint. Hypothesis then posts to each of them, as any of the nine personas
(lead, staff member, sponsor, head of institution, another organisation's lead, a published
organisation's lead, reviewer, administrator, nobody signed in), values that start from what
the page offered and
go on to what no browser sends: NUL characters, numbers beyond 64 bits, negative and decimal
numbers, impossible dates, HTML, every kind of Unicode, empty values, very long text, several
values for one field, missing fields, stray files. Every response must be under 500, and
django.request must log no error.

Each post runs in a savepoint that is rolled back, so that no post changes what the next one
finds (a deleted heading, a withdrawn publication). Walking the URL resolver checks that every
URL of the portal's apps was reached, and that every one that takes a POST is posted to.
"""

import functools
import io
import logging
import math
import re
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from actionplans import services as plan_services
from actionplans.models import Action, ActionPlan
from assessments import services as assessment_services
from assessments.images import ImageInfo
from assessments.models import CohortDeadline, Question, SelfAssessment
from consultations.models import Consultation
from signatories.models import Invitation, Organisation, User
from signatories.services import invite
from submissions.models import SignOff

# At least this many generated requests in all (issue 11: 2,000 or more).
TOTAL_POSTS = 2100

# Every persona, by the demo's e-mail addresses (None: not signed in).
PERSONAS = {
    "lead": "lead@example.org",  # Northmoor and Fenwick
    "staff member": "contributor@example.org",
    "sponsor": "sponsor@example.org",
    "head of institution": "leader@example.org",
    "lead of another organisation": "coldharbour.lead@example.org",
    "lead of a published organisation": "kelderby.lead@example.org",
    "reviewer": "reviewer@example.org",
    "administrator": "admin@example.org",
    "anonymous": None,
}

# The personas whose pages show every form between them (a sponsor's or a head of
# institution's pages show a subset of a lead's; their sign-off forms are built below).
CRAWLED = [
    "lead",
    "staff member",
    "lead of a published organisation",
    "reviewer",
    "administrator",
    "anonymous",  # signing in, resetting a password
]

# Pages the crawl does not open: downloads, images, signing out, and Django's admin (its forms
# are Django's own; allauth's account pages are crawled and fuzzed like the portal's).
SKIP = re.compile(
    r"^/(admin|static|media)/|/(pdf|export/[a-z]+)/$|\.(csv|json|xlsx|pdf)$|/image/$"
    r"|/figures/\d+/$|^/accounts/logout/"
)
# Endpoints that scripts post to, with the fields the scripts send (static/js/autosave.js,
# static/js/editor.js): they have no form in the page.
SCRIPT_FIELDS = {
    "assessments:autosave": ["text", "version", "flag"],
    "assessments:autosave_theme": ["text", "version", "flag"],
    "assessments:clean_pasted_html": ["html"],
}
PER_NAME_PAGES = 3  # pages opened per URL name and persona (sections differ, histories not)


@dataclass
class Field:
    kind: str  # "text", "hidden", "select", "checkbox", "radio", "file", "textarea", ...
    values: list[str] = field(default_factory=list)  # what the page offered


@dataclass
class Target:
    method: str
    url: str
    name: str  # the URL's name, e.g. "actionplans:settings_part"
    fields: dict[str, Field] = field(default_factory=dict)
    htmx: bool = False


class PageParser(HTMLParser):
    """The links, forms and script endpoints of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str, str, dict[str, Field], bool]] = []
        self.endpoints: list[tuple[str, str]] = []  # (method, url)
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for name in ("data-save-url", "data-paste-clean-url", "hx-post", "hx-get"):
            if a.get(name):
                self.endpoints.append(("get" if name == "hx-get" else "post", a[name]))
        if tag == "form":
            method = (a.get("method") or ("post" if a.get("hx-post") else "get")).lower()
            action = a.get("hx-post") or a.get("action") or ""
            self._form = (method, action, {}, bool(a.get("hx-post")))
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form[2]
        name = a.get("name")
        if tag in ("button", "input") and a.get("formaction"):
            # Another form: the same fields, sent somewhere else.
            method, _, _, htmx = self._form
            self.forms.append((method, a["formaction"], fields, htmx))
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                fields.setdefault(name, Field("submit")).values.append(a.get("value", ""))
                return
            entry = fields.setdefault(name, Field(kind))
            if "value" in a or kind not in ("checkbox", "radio"):
                entry.values.append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "button" and name:
            fields.setdefault(name, Field("submit")).values.append(a.get("value", ""))
        elif tag == "textarea" and name:
            fields.setdefault(name, Field("textarea"))
        elif tag == "select" and name:
            self._select = fields.setdefault(name, Field("select"))
        elif tag == "option" and self._select is not None:
            self._select.values.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def sign_in(client: Client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


@dataclass
class Portal:
    users: dict[str, User | None]
    targets: dict[tuple[str, str], Target]
    paths: dict[str, set[str]]  # the addresses seen, by URL name


def crawl(client: Client, users: dict, extra: list[str]) -> Portal:
    """Every form and endpoint each persona's pages show."""
    targets: dict[tuple[str, str], Target] = {}
    paths: dict[str, set[str]] = defaultdict(set)
    starts = [
        "/",
        "/healthz",
        "/readyz",
        "/directory/",
        "/review/",
        "/review/mine/",
        "/signatories/",
        "/open-data/",
    ]
    starts += [f"/organisations/{o.slug}/" for o in Organisation.objects.all()]
    starts += [f"/directory/{o.slug}/" for o in Organisation.objects.all()]
    starts += ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]
    starts += ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"]
    starts += extra
    for persona in CRAWLED:
        sign_in(client, users[persona])
        queue, opened, per_name = list(starts), set(), defaultdict(int)
        while queue:
            path = queue.pop(0)
            if path in opened:
                continue
            opened.add(path)
            name = url_name(path.split("?")[0])
            if name is None:
                continue
            if SKIP.search(path.split("?")[0]):
                paths[name].add(path.split("?")[0])  # a download: known, not opened
                continue
            shape = (name, "?" in path)
            if per_name[shape] >= PER_NAME_PAGES:
                continue
            per_name[shape] += 1
            response = client.get(path)
            assert response.status_code < 500, path
            if response.status_code < 400:
                paths[name].add(path.split("?")[0])
            if response.status_code in (301, 302) and response.url.startswith("/"):
                queue.append(response.url.split("#")[0])
            if response.status_code != 200:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            parser = PageParser()
            parser.feed(response.content.decode())
            for href in parser.links:
                link = urlsplit(urljoin(path, href))
                if not link.netloc or link.netloc == "testserver":
                    queue.append(link.path + (f"?{link.query}" if link.query else ""))
            for method, action, fields, htmx in parser.forms:
                add_target(targets, paths, urljoin(path, action or path), method, fields, htmx)
            for method, endpoint in parser.endpoints:
                target_path = urlsplit(urljoin(path, endpoint)).path
                fields = {n: Field("text") for n in SCRIPT_FIELDS.get(url_name(target_path), [])}
                add_target(targets, paths, target_path, method, fields, True)
                if method == "get":
                    queue.append(target_path)
    return Portal(users, targets, paths)


def add_target(targets, paths, url, method, fields, htmx) -> None:
    split = urlsplit(url)
    if split.netloc not in ("", "testserver"):
        return
    name = url_name(split.path)
    if name is None or SKIP.search(split.path):
        return
    paths[name].add(split.path)
    path = split.path + (f"?{split.query}" if split.query and method == "post" else "")
    target = targets.setdefault((method, path), Target(method, path, name, htmx=htmx))
    target.htmx = target.htmx or htmx
    for field_name, found in fields.items():
        if field_name == "csrfmiddlewaretoken":
            continue  # the test client does not check it
        known = target.fields.setdefault(field_name, Field(found.kind))
        known.values.extend(v for v in found.values if v not in known.values)


# Downloads: files and PDFs that no form posts to (rendering PDFs takes seconds each). Each is
# covered by its own app's tests.
DOWNLOADS = {
    "assessments:figure_image",
    "publications:figure",
    "publications:pdf",
    "publications:pdf_file",
    # Drafts' PDF pages, their buttons (each queues a render), status and files:
    # tests/publications/test_draft_pdfs.py.
    *(
        f"publications:{which}_draft_pdf{part}"
        for which in ("assessment", "plan")
        for part in ("", "_make", "_status", "_file")
    ),
    "submissions:snapshot_figure",
    "actionplans:review_export",
    "actionplans:original",
}


def built_targets() -> list[Target]:
    """Forms that only a moment of the cycle shows (just after a delete, during sign-off,
    with a stored import), at real addresses of the demo data, with the real field names of
    their forms."""
    fenwick_plan = ActionPlan.objects.get(organisation__slug="fenwick")
    deleted = Action.objects.filter(plan=fenwick_plan).exclude(deleted_at=None).first()
    fenwick = SelfAssessment.objects.filter(organisation__slug="fenwick").first()
    submitted = SelfAssessment.objects.filter(organisation__slug="coldharbour").first()
    sign_off = SignOff.objects.order_by("pk").first()
    invitation = Invitation.objects.order_by("pk").first()
    question = Question.objects.filter(section__form_version=fenwick.form_version).first()
    themed = Question.objects.filter(
        section__form_version=fenwick.form_version, kind="per_theme"
    ).first()
    plan_args = [fenwick_plan.organisation.slug, fenwick_plan.pk]
    voice = Consultation.objects.get(organisation__slug="fenwick", status="closed")
    voice_question = voice.questions.first()
    review_args = [*plan_args, fenwick_plan.reviews.order_by("pk").first().pk]
    found = [
        ("get", "actionplans:review_import_preview", review_args, ["column_0", "column_1"]),
        ("post", "actionplans:review_import_confirm", review_args, ["column_0", "column_1"]),
        ("post", "actionplans:review_reopen", review_args, []),
        ("post", "actionplans:carry_forward", plan_args, ["action"]),
        ("post", "actionplans:import_preview", plan_args, ["column_0", "column_1", "column_2"]),
        ("get", "actionplans:import_preview", plan_args, ["column_0", "column_1"]),
        ("post", "actionplans:import_confirm", plan_args, ["add_code", "title:PL", "column_0"]),
        # The undo a delete offers, and the row editor plan.js fetches by a URL template.
        ("post", "actionplans:change_row", plan_args, ["do"]),
        ("get", "actionplans:edit_action", [*plan_args, deleted.pk], []),
        # Appending a review: offered only beside a later form's RAG-analysis question.
        ("post", "actionplans:append_review", ["fenwick", fenwick.pk], ["review"]),
        ("post", "actionplans:detach_review", ["fenwick", fenwick.pk], ["review"]),
        ("post", "assessments:reuse", ["fenwick", fenwick.pk, question.pk], []),
        ("post", "assessments:reuse_theme", ["fenwick", fenwick.pk, themed.pk, "visibility"], []),
        ("post", "signatories:revoke_invitation", ["northmoor", invitation.pk], []),
        ("post", "submissions:request_sign_off", ["fenwick", fenwick.pk], []),
        ("post", "submissions:reopen", ["coldharbour", submitted.pk], []),
        ("post", "submissions:submit", ["coldharbour", submitted.pk], []),
        (
            "post",
            "submissions:sign",
            ["coldharbour", submitted.pk, sign_off.pk],
            ["sign-name", "sign-job_title", "sign-confirm", "decline", "decline-reason"],
        ),
        ("post", "submissions:feedback_reply", ["coldharbour", submitted.pk, 1], ["text"]),
        ("get", "submissions:review_changes", ["coldharbour", submitted.pk], ["from"]),
        # Technician voice: what only an open consultation, an e-mail or an attachment shows.
        ("post", "consultations:invite", ["fenwick", voice.pk], ["addresses"]),
        ("post", "consultations:respond", [voice.link_token], [f"q{voice_question.pk}"]),
        ("post", "consultations:respond_invited", ["not-a-token"], []),
        ("post", "consultations:withdraw", [], ["code", "confirm"]),
        ("post", "consultations:detach", ["fenwick", voice.pk, 1], []),
        ("post", "consultations:change_status", ["fenwick", voice.pk, "closed"], []),
        ("get", "signatories:admin_import_preview", [], []),
        ("post", "signatories:admin_import_confirm", [], []),
    ]
    return [
        Target(method, reverse(name, args=args), name, {f: Field("text") for f in fields})
        for method, name, args, fields in found
    ]


# --- What hypothesis sends -------------------------------------------------------------------

HUGE = [str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 40, "-" + "9" * 30]
ODD = ["0", "-1", "1.5", "1e9", "²", "٣", "NaN", "inf", "0x10", " 1 ", "\x00", "1\x00"]
DATES = ["2027-02-30", "0000-00-00", "99999-01-01", "2027-13-01", "31/12/2027", "Dec 2027"]
MARKUP = [
    "<p>x</p>",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<p style='mso-list:l0 level1 lfo1'>",
    '=HYPERLINK("http://example.org")',
    "{{ 7*7 }}",
    "'; DROP TABLE x; --",
]

texts = st.text(max_size=60)  # any Unicode but surrogates, NUL included
long_texts = st.builds(
    lambda s, n: (s * n)[:6000], st.text(min_size=1, max_size=12), st.integers(50, 600)
)
numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
junk = st.one_of(
    texts,
    numbers,
    st.sampled_from(HUGE + ODD + DATES + MARKUP + [""]),
    long_texts,
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20).map(lambda s: f"\x00{s}\x00"),
)


@functools.cache
def values_from(offered: tuple[str, ...]):
    """A strategy for one field: a value the page offered, or junk; sometimes several. (Made
    once per set of offered values: building strategies is most of hypothesis's cost.)"""
    one = st.one_of(st.sampled_from(offered or ("",)), st.sampled_from(offered or ("",)), junk)
    return st.one_of(one.map(lambda v: [v]), st.lists(one, min_size=0, max_size=3))


def value_for(found: Field):
    return values_from(tuple(found.values))


@functools.cache
def file_for():
    contents = st.one_of(
        st.binary(max_size=400),
        st.just(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        st.just(b"PK\x03\x04" + b"\x00" * 60),
        st.just(b"not,a,spreadsheet\n=1+1,@SUM(A1),\x00\n"),
    )
    names = st.sampled_from(
        ["figure.png", "plan.xlsx", "plan.csv", "x", "../../etc/passwd", "a\x00.png"]
    )
    return st.builds(
        lambda content, filename: [SimpleUploadedFile(filename, content)],
        contents,
        names,
    )


@dataclass
class Sent:
    persona: str
    method: str
    path: str
    data: dict
    htmx: bool

    def __str__(self):
        return f"{self.method.upper()} {self.path} as {self.persona}: {self.data!r}"


@st.composite
def requests(draw, group: list[Target], persona_names: list[str]) -> Sent:
    target = draw(st.sampled_from(group))
    persona = draw(st.sampled_from(persona_names))
    data = {}
    for name, found in target.fields.items():
        if draw(st.integers(0, 9)) == 0:
            continue  # a field missing altogether
        if found.kind == "file":
            data[name] = draw(file_for())
        else:
            data[name] = draw(value_for(found))
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.sampled_from(["stray", "id", "pk", "\x00", "version"]))] = draw(
            value_for(Field("text"))
        )
    path = target.url
    if draw(st.integers(0, 14)) == 0:  # an id in the address no page links to
        numbers_in_path = re.findall(r"/\d+/", path)
        if numbers_in_path:
            wanted = draw(st.sampled_from(["/0/", f"/{2**63}/", f"/{2**64 + 1}/", "/999999/"]))
            path = path.replace(numbers_in_path[-1], wanted, 1)
    htmx = draw(st.booleans()) if target.htmx else draw(st.integers(0, 9)) == 0
    return Sent(persona, target.method, path, data, htmx)


def groups_of(targets) -> list[list[Target]]:
    """Targets of one shape together: the same view, the same non-id parts of the address
    (organisation, setting, theme) and the same fields; hypothesis picks among their
    addresses (one action's row or another's)."""
    groups = defaultdict(list)
    for target in targets:
        match = resolve(target.url.split("?")[0])
        words = tuple(sorted((k, v) for k, v in match.kwargs.items() if not isinstance(v, int)))
        groups[(target.method, target.name, words, tuple(sorted(target.fields)))].append(target)
    return [found[:6] for _, found in sorted(groups.items())]


# --- The test --------------------------------------------------------------------------------


def every_pattern(resolver=None, prefix=""):
    """(view name, pattern) for every URL the portal's own apps define."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace or ""
            # Django's admin and allauth are theirs; the read-only API has no forms and its
            # generated input comes from Schemathesis (tests/api/test_schemathesis.py).
            if namespace in ("admin", "api") or "allauth" in str(entry.urlconf_name):
                continue
            yield from every_pattern(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{prefix}:{entry.name}" if prefix else entry.name), entry


@pytest.fixture
def portal(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", stdout=io.StringIO())
    users = {}
    for persona, email in PERSONAS.items():
        user = User.objects.get(email=email) if email else None
        if user is not None and user.needs_two_factor:
            TOTP.activate(user, generate_totp_secret())
        users[persona] = user
    # A deleted action (for "Undo"), a figure and a second version of an answer on Fenwick's
    # draft self-assessment, and a draft progress review of its plan.
    lead = users["lead"]
    plan = ActionPlan.objects.get(organisation__slug="fenwick")
    plan_services.delete_action(plan.actions.live().last(), by=lead)
    plan_services.begin_review(
        plan,
        by=lead,
        reviewed_on=plan.starts_on,
        period_from=plan.starts_on,
        period_to=plan.starts_on,
        overall_status="amber",
    )
    fenwick = SelfAssessment.objects.filter(organisation__slug="fenwick").first()
    figures = Question.objects.get(section__form_version=fenwick.form_version, kind="figures")
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(png, "PNG")
    assessment_services.add_figure(
        fenwick,
        figures,
        upload=SimpleUploadedFile("a.png", png.getvalue()),
        info=ImageInfo("png", 8, 8),
        caption="Fig. 1",
        alt_text="A square.",
        by=lead,
    )
    answer = fenwick.answers.order_by("pk").first()
    assessment_services.save_answer(
        fenwick,
        answer.question,
        theme=answer.theme,
        text=answer.text + " Revised.",
        base_version=answer.version,
        by=lead,
    )
    # A cohort deadline (covering no demo organisation), for its page in the administration.
    CohortDeadline.objects.create(
        name="Early signatories",
        signed_from=date(2010, 1, 1),
        signed_until=date(2010, 12, 31),
        due_on=date(2027, 6, 30),
        counts_from=date(2027, 1, 1),
    )
    # An invitation, whose link only its e-mail carries.
    links = []
    invite(
        Organisation.objects.get(slug="northmoor"),
        "new.person@example.org",
        "contributor",
        by=users["lead"],
        accept_url_for=lambda path: links.append(path) or path,
    )
    portal = crawl(Client(raise_request_exception=False), users, extra=links)
    for target in built_targets():
        portal.paths[target.name].add(target.url)
        portal.targets.setdefault((target.method, target.url), target)
    return portal


class Personas:
    """One client per persona, signed in once; signed in again if a post signed it out."""

    def __init__(self, users: dict):
        self.users = users
        self.clients = {name: Client(raise_request_exception=False) for name in users}
        for name in users:
            self.sign_in(name)

    def sign_in(self, name):
        client, user = self.clients[name], self.users[name]
        client.cookies.clear()
        if user is not None:
            client.force_login(user)
        client.signed_in_as = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
        client.signed_in_as = client.signed_in_as and client.signed_in_as.value

    def client(self, name) -> Client:
        client = self.clients[name]
        cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
        if (cookie and cookie.value) != client.signed_in_as:
            self.sign_in(name)
        return client


def send(personas: Personas, sent: Sent):
    """The request, in a savepoint rolled back afterwards: no post changes what the next
    finds."""
    client = personas.client(sent.persona)
    headers = {"HX-Request": "true"} if sent.htmx else {}
    with transaction.atomic():
        if sent.method == "post":
            response = client.post(sent.path, sent.data, headers=headers)
        else:
            response = client.get(sent.path, sent.data, headers=headers)
        transaction.set_rollback(True)
    return response


def unreached(portal) -> list[str]:
    return sorted(
        name for name, _ in every_pattern() if not portal.paths.get(name) and name not in DOWNLOADS
    )


def posts_without_a_target(portal) -> list[str]:
    """URL names that accept a POST (anything but 405) but had no form or endpoint."""
    posted = {t.name for t in portal.targets.values() if t.method == "post"}
    admin = Personas({"administrator": portal.users["administrator"]})
    missing = []
    for name, _ in every_pattern():
        if name in posted or name in DOWNLOADS or not portal.paths.get(name):
            continue
        path = sorted(portal.paths[name])[0]
        if send(admin, Sent("administrator", "post", path, {}, False)).status_code != 405:
            missing.append(name)
    return missing


def test_generated_input_to_every_form_never_gets_a_server_error(portal, caplog):
    # The crawl found every URL of the portal's own apps, and a form or endpoint for each
    # one that takes a POST: so "every form" below is every form.
    assert not unreached(portal), "No page links to these URLs: " + ", ".join(unreached(portal))
    # URLs that take a POST though no form posts to them (a home page, a list) get the
    # generated fields without names of their own.
    for name in posts_without_a_target(portal):
        path = sorted(portal.paths[name])[0]
        portal.targets[("post", path)] = Target("post", path, name)
    personas = Personas(portal.users)
    groups = groups_of(portal.targets.values())
    errors, sent_count = [], 0
    caplog.set_level(logging.ERROR, logger="django.request")

    def record(sender, request, **kwargs):
        errors.append(f"{request.method} {request.get_full_path()}:\n{traceback.format_exc()}")

    got_request_exception.connect(record)
    try:

        @hypothesis_settings(
            max_examples=math.ceil(TOTAL_POSTS * 1.05),
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.sampled_from(groups).flatmap(lambda group: requests(group, list(portal.users))))
        def post(sent):
            nonlocal sent_count
            caplog.clear()
            response = send(personas, sent)
            sent_count += 1
            assert response.status_code < 500, f"{sent}\n{response.status_code}\n" + "".join(
                errors[-1:]
            )
            # Server errors are logged by django.request (a refused 16 KB redirect, logged by
            # django.security, is a 400 by design).
            logged = [
                r
                for r in caplog.records
                if r.name == "django.request" and r.levelno >= logging.ERROR
            ]
            assert not logged, f"{sent}\n" + "\n".join(r.getMessage() for r in logged)

        post()
    finally:
        got_request_exception.disconnect(record)
    assert errors == []
    assert sent_count >= TOTAL_POSTS
