"""The signed-in user's pages about their API tokens, under /account/ (in the "accounts" namespace, where
they have always been named)."""

from django.urls import path

from . import pages

app_name = "accounts"
urlpatterns = [
    path("tokens/", pages.api_tokens, name="api-tokens"),
    path("tokens/<str:digest>/revoke/", pages.api_token_revoke_view, name="api-token-revoke"),
]
