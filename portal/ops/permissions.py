"""Who may read the operations metrics with a session: administrators (the scraper uses its token)."""

import rules

from portal.accounts.permissions import is_administrator

rules.add_perm("ops.view_metrics", is_administrator)
