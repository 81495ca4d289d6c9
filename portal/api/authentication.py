"""Token authentication: knox's, checking only the token presented.

knox reads every token of the user on each request, to delete the expired ones. Here a token is checked
on its own: an expired token is refused (401) and kept, so that its owner sees on the API tokens page
which token stopped and when (the page lists expired tokens for that reason). One query per request,
whatever the number of tokens a user has.
"""

from __future__ import annotations

from typing import Any

from knox.auth import TokenAuthentication


class PortalTokenAuthentication(TokenAuthentication):
    def _cleanup_token(self, auth_token: Any) -> bool:
        """True (refused) when the token presented has expired; nothing is deleted."""
        return bool(auth_token.is_expired)
