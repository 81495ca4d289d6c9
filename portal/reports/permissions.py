"""Who may use reports, exports, dashboards and the calendar feed (django-rules; pages and API alike).

- Reports and every export (CSV, XLSX, PDF): analysts and administrators. The issue says "analysts
  export reports"; administrators hold every power. Other roles browse the same records on their own
  pages, and see their figures on the dashboard.
- The dashboard (the home page) and the calendar feed: every role, each seeing its own panels and
  only the records its visibility rules and clearance allow.
"""

from __future__ import annotations

import rules

from portal.accounts.permissions import has_any_role, is_administrator, is_analyst

can_use_reports = is_analyst | is_administrator

rules.add_perm("reports.view_reports", can_use_reports)
rules.add_perm("reports.export", can_use_reports)
rules.add_perm("reports.view_dashboard", has_any_role)
rules.add_perm("reports.use_calendar", has_any_role)
