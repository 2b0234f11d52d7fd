"""The course catalogue, for trainers. Reference data: no person in it."""

from uuid import UUID

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from peacehub.academy import services
from peacehub.academy.access import MANAGE, courses_for_trainers, get_course_for_user
from peacehub.academy.forms import CourseForm
from peacehub.forms import status_of
from peacehub.http import permission_required


@require_GET
@permission_required(MANAGE)
def course_list(request: HttpRequest) -> HttpResponse:
    courses = (
        courses_for_trainers(request.user)
        .annotate(cohort_count=Count("cohorts"))
        .order_by("-is_active", "name")
    )
    return TemplateResponse(request, "academy/course_list.html", {"courses": courses})


@permission_required(MANAGE)
def course_new(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.course_create(request=request, data=form.cleaned_data)
        messages.success(request, _("Course added."))
        return redirect("academy:courses")
    return TemplateResponse(
        request, "academy/course_form.html", {"form": form}, status=status_of(form)
    )


@permission_required(MANAGE)
def course_edit(request: HttpRequest, course_id: UUID) -> HttpResponse:
    course = get_course_for_user(request.user, course_id)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        # The form filled the instance in while validating: start again from the
        # database, so that only the service changes the course.
        course.refresh_from_db()
        services.course_update(request=request, course=course, data=form.cleaned_data)
        messages.success(request, _("Course updated."))
        return redirect("academy:courses")
    return TemplateResponse(
        request,
        "academy/course_form.html",
        {"form": form, "course": course},
        status=status_of(form),
    )
