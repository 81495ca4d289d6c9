"""The catalogue import page's form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.forms import PortalFormMixin


class CatalogueUploadForm(PortalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Catalogue file (CSV or XLSX)"),
        help_text=_("One item per row; the first row names the columns (see the list below)."),
    )
    deactivate_missing = forms.BooleanField(
        label=_("The file is the whole catalogue: deactivate the items it does not list"),
        required=False,
        help_text=_("Items used by activities or requests are deactivated; unused ones are removed."),
    )
