"""The REST API's cross-cutting parts: v1 URLconf, errors, pagination, ETags, throttling, API tokens."""
