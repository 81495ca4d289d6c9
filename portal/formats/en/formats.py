"""English date formats of the portal: day before month, as NATO's English texts write dates.

Templates ask for DATE_FORMAT, DATETIME_FORMAT and YEAR_MONTH_FORMAT rather than fixed patterns, so a
French page shows "27 novembre 2026" (Django's French formats) where an English one shows "27 Nov 2026".
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
# One format per language everywhere: tables, PDFs and exports that ask for the short formats get the
# same dates as the pages (Django's English default would be "02/25/2008").
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
