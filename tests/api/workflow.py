"""What API tests send with a workflow action: If-Match with the request's current strong ETag."""

from __future__ import annotations

from typing import Any

from portal.api.etags import etag_for
from workprogrammes.requests.models import InclusionRequest


def if_match(inclusion_request: InclusionRequest | int) -> dict[str, Any]:
    """Test-client keyword arguments sending If-Match with the request's version as it is now."""
    pk = inclusion_request if isinstance(inclusion_request, int) else inclusion_request.pk
    return {"HTTP_IF_MATCH": etag_for(InclusionRequest.objects.get(pk=pk))}
