"""The analysts' tabular reports, one module per family; `portal.reports.registry` lists them."""
