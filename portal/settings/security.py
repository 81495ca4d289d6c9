"""Sessions, cookies, the sign-in lockout, two-factor sign-in and the Content Security Policy."""

import datetime

from .environment import env

SESSION_COOKIE_HTTPONLY = True
# Sessions: a new key at sign-in (Django) and after the second factor; ended after 30 minutes without
# a request of the user's own, and 12 hours after signing in whatever happens (portal/security).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
# The idle time is counted to this resolution: a session is saved at most this often by requests.
SESSION_ACTIVITY_RESOLUTION_SECONDS = 60
# Requests a page makes by itself do not count as activity (SessionLimitsMiddleware saves the session
# on every other request, which is SESSION_SAVE_EVERY_REQUEST without the bell's poll).
SESSION_BACKGROUND_URL_NAMES = ("notifications:bell", "api:notification-unread-count")
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Sign-in lockout (django-axes, portal/security/lockout.py): the 5th wrong password for one username from
# one address locks that pair for AXES_COOLOFF_TIME; an address alone is locked after a higher count,
# whatever the usernames. An administrator unlocks sooner by deleting the "access attempts" in the admin.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_HANDLER = "portal.security.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "portal.security.client.client_ip"
# Reverse proxies in front of the portal whose X-Forwarded-For entries are trusted (0: none, use the
# connection's address). Used by the lockout and the audit trail. MANDATORY behind a reverse proxy or
# load balancer: with 0 there, every client has the proxy's address, so the per-address lockout stops
# everyone at once and the audit trail records the proxy.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not lengthen it: the time the page gives is the time it takes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "portal.security.lockout.lockout_response"

# Two-factor sign-in (django-otp, TOTP) for these roles; an empty list turns the requirement off
# (e.g. OTP_REQUIRED_ROLES= in .env for a quick local demo). Keep it on everywhere else.
OTP_REQUIRED_ROLES = env.list(
    "OTP_REQUIRED_ROLES", default=["reviewer", "council_secretary", "administrator"]
)
OTP_TOTP_ISSUER = "Contact Country Portal"

# Content Security Policy (django-csp): no inline script or style anywhere. Vendor pages with fixed
# inline blocks (admin, API documentation) allow exactly those by hash (portal/security/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
