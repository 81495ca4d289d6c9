"""Pages about the signed-in user's own account, under /account/."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.api_tokens, name="api-tokens"),
    path("tokens/<str:digest>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
]
