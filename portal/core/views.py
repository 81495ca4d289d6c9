"""Cross-cutting pages. The home page (the role dashboards) lives in portal/reports/views.py."""
