"""Pages for browsing NATO-led operations and the partners' contributions to them."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal.core.pagination import paginate

from . import selectors
from .charts import contribution_charts
from .models import Operation

OPERATIONS_PAGE_SIZE = 50


@require_safe
@permission_required("portal.browse", raise_exception=True)
def operation_list(request: HttpRequest) -> HttpResponse:
    """NATO-led operations with their theatre, dates and number of contributing partners."""
    context = paginate(request, selectors.operation_list(), per_page=OPERATIONS_PAGE_SIZE)
    return render(request, "operations/list.html", context)


@require_safe
@permission_required("portal.browse", raise_exception=True)
def operation_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One operation: its description and each contributing partner's contributions over time."""
    try:
        detail = selectors.operation_detail(code=code)
    except Operation.DoesNotExist:
        raise Http404(_("There is no operation with this code.")) from None
    context = {
        "detail": detail,
        "operation": detail.operation,
        "contribution_charts": contribution_charts(
            selectors.contribution_timeline(operation=detail.operation),
            key="operation-contributions",
            by=_("partner"),
        ),
    }
    return render(request, "operations/detail.html", context)
