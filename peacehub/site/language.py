from django.conf import settings
from django.http import HttpResponse


def remember_language(request, response: HttpResponse, language: str) -> None:
    """The language stays chosen on this device (cookie) and, for a signed-in user,
    on every device (their profile)."""
    if language not in dict(settings.LANGUAGES):
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=False,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
