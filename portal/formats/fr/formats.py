"""French date formats of the portal: one per kind, as the English ones ("27 novembre 2026").

Django's French short formats ("27/11/2026", "27/11/2026 15:24") would give tables, PDFs and history
lists another format than the pages: the portal uses the long ones everywhere.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
