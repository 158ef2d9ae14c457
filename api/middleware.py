from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware

PREFIX = "/api/"

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After",
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


class PublicApiMiddleware:
    """The API's answers, in one place (it touches nothing outside /api/):

    - HEAD is answered as GET is;
    - any web page may read them (CORS for GET and HEAD; a preflight OPTIONS is answered here,
      since a client that sends If-None-Match asks for one);
    - each has an ETag, and a conditional GET whose ETag or Last-Modified still matches is
      answered 304 Not Modified (Django's own ConditionalGetMiddleware, for the API only);
    - none sets a cookie: the API has no session and no CSRF token.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.conditional = ConditionalGetMiddleware(get_response)

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for name, value in PREFLIGHT.items():
                response[name] = value
            return response
        head = request.method == "HEAD"
        if head:
            # django-ninja answers GET only; HEAD is the same answer (its Content-Length
            # included) without the body.
            request.method = "GET"
        response = self.conditional.process_response(request, self.get_response(request))
        if head:
            request.method = "HEAD"
            response.content = b""
        for name, value in CORS.items():
            response[name] = value
        response.cookies.clear()
        return response
