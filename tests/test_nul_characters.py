"""One place takes NUL characters out of every request (techcommit.middleware.StripNulMiddleware):
queries, forms, cookies; a path with NUL names nothing."""

from django.http import QueryDict
from django.test import RequestFactory

from techcommit.middleware import StripNulMiddleware, without_nul


def seen_by_the_view(request):
    found = {}

    def view(request):
        found["request"] = request
        return "response"

    StripNulMiddleware(view)(request)
    return found.get("request")


def test_queries_forms_and_cookies_reach_the_view_without_nul():
    factory = RequestFactory()
    request = factory.post(
        "/somewhere/?q=a%00b&page=1",
        {"reason": "Re\x00placed", "list": ["one\x00", "two"], "na\x00me": "x"},
    )
    request.COOKIES["sessionid"] = "abc\x00def"
    request = seen_by_the_view(request)
    assert request.GET.dict() == {"q": "ab", "page": "1"}
    assert request.POST["reason"] == "Replaced"
    assert request.POST.getlist("list") == ["one", "two"]
    assert request.POST["name"] == "x"
    assert request.COOKIES["sessionid"] == "abcdef"


def test_a_clean_request_is_left_as_it_is():
    data = QueryDict("a=1&b=2")
    assert without_nul(data) is data


def test_a_path_with_nul_is_not_found(client):
    response = client.get("/invitations/abc%00def/")
    assert response.status_code == 404
