"""Pages where administrators import the activity catalogue: upload, preview, confirm (or discard)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from portal.accounts.http import AuthenticatedHttpRequest

from . import files, services
from .forms import CatalogueUploadForm
from .models import CatalogueImport, CatalogueImportStatus

RECENT_IMPORTS = 10


@require_http_methods(["GET", "POST"])
@permission_required("workprogrammes.import_catalogue", raise_exception=True)
def catalogue_import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX catalogue file; the next page shows what importing it would do."""
    posted = request.method == "POST"
    form = CatalogueUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            preview = services.catalogue_import_preview(
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                deactivate_missing=form.cleaned_data["deactivate_missing"],
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect("programmes:catalogue_import_preview", pk=preview.pk)
    context = {
        "form": form,
        "columns": files.COLUMNS,
        "required_columns": files.REQUIRED_COLUMNS,
        "recent": CatalogueImport.objects.select_related("uploaded_by").order_by("-uploaded_at", "-pk")[
            :RECENT_IMPORTS
        ],
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "workprogrammes/catalogue/import_upload.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("workprogrammes.import_catalogue", raise_exception=True)
def catalogue_import_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The preview of an upload: new, changed (field by field) and invalid rows; confirm writes it all."""
    preview = get_object_or_404(CatalogueImport.objects.select_related("uploaded_by"), pk=pk)
    if request.method == "POST":
        user = request.user
        if request.POST.get("action") == "discard":
            services.catalogue_import_discard(actor=user, catalogue_import=preview)
            messages.info(request, _("The upload is discarded; the catalogue is unchanged."))
            return redirect("programmes:catalogue_import")
        try:
            services.catalogue_import_apply(actor=user, catalogue_import=preview)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            counts = preview.summary.get("counts", {})
            messages.success(
                request,
                _("The catalogue is updated: %(new)s new, %(changed)s changed items.")
                % {"new": counts.get("new", 0), "changed": counts.get("changed", 0)},
            )
        return redirect("programmes:catalogue_import_preview", pk=preview.pk)
    context = {
        "preview": preview,
        "summary": preview.summary,
        "counts": preview.summary.get("counts", {}),
        "can_apply": preview.status == CatalogueImportStatus.PREVIEWED and not preview.summary.get("invalid"),
    }
    return render(request, "workprogrammes/catalogue/import_preview.html", context)
