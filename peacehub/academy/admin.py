"""Only the course catalogue, which is reference data. Cohorts, trainees, attendance
and interests are person-level and stay out of the operators' admin."""

from django.contrib import admin

from peacehub.academy.models import Course


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name", "audience", "required_hours", "length_weeks", "is_active"]
    list_filter = ["audience", "is_active"]
    search_fields = ["name", "name_es", "slug"]
