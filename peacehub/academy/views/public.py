"""Public pages: the trainings open to public interest and the interest form. No
sign-in; in English and Spanish; nothing about any trainee."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from peacehub.academy import services
from peacehub.academy.access import public_cohorts
from peacehub.academy.forms import InterestForm, SpamSuspected, interest_form_token


@login_not_required
@require_GET
def trainings(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "academy/public/trainings.html", {"cohorts": public_cohorts()})


def _form_page(request, form, *, status=200, problem=""):
    # A fresh token each time the form is shown: the clock starts again.
    return TemplateResponse(
        request,
        "academy/public/interest_form.html",
        {"form": form, "problem": problem, "token": interest_form_token()},
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def interest(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = InterestForm(initial={"cohort": request.GET.get("cohort")})
        return _form_page(request, form)
    form = InterestForm(request.POST)
    try:
        form.check_not_spam()
    except SpamSuspected as problem:
        return _form_page(request, form, status=400, problem=str(problem.args[0]))
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        services.interest_submit(request=request, data=form.cleaned_data)
    except services.RateLimited:
        return _form_page(
            request,
            form,
            status=429,
            problem=_(
                "We have received several messages from your connection in the last hour, "
                "so this one was not saved. Please try again later."
            ),
        )
    return redirect("academy:public_interest_thanks")


@login_not_required
@require_GET
def interest_thanks(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "academy/public/interest_thanks.html")
