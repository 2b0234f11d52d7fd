from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from peacehub.events.access import summer_check_scope
from peacehub.events.summer import (
    NIGHTS_PER_WEEK,
    SUMMER_WEEKS,
    WeekStatus,
    latest_summer_year,
    organizations_for_convener,
    summer_check,
    summer_weeks,
)

EARLIEST_YEAR = 2000


@require_GET
def summer(request: HttpRequest) -> HttpResponse:
    """The Summer Safety Strategy check: three nights a week for ten weeks. Convener
    staff see every organization; a host's supervisors and admins see their own row."""
    own, is_convener = summer_check_scope(request.user)
    today = timezone.localdate()
    latest = latest_summer_year(today)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and EARLIEST_YEAR <= int(year) <= latest + 1 else latest
    mondays = summer_weeks(year)
    organizations = list(organizations_for_convener(mondays)) if is_convener else own
    rows = summer_check(year=year, organizations=organizations, today=today, mondays=mondays)
    return TemplateResponse(
        request,
        "events/summer.html",
        {
            "year": year,
            "years": range(latest + 1, max(EARLIEST_YEAR, latest - 4) - 1, -1),
            "rows": rows,
            "mondays": mondays,
            "is_convener": is_convener,
            "nights_per_week": NIGHTS_PER_WEEK,
            "summer_weeks": SUMMER_WEEKS,
            "status": {
                "MET": WeekStatus.MET,
                "SHORT": WeekStatus.SHORT,
                "UNDER_WAY": WeekStatus.UNDER_WAY,
            },
        },
    )
