"""The partner pages and their API: the directory, a partner's profile, the pages that keep a partner's
record current and its history.

A profile shows the partner's contributions to operations and its programmes, and its record pages edit
contributions, so this package stands above `partners`, `operations` and `workprogrammes`.
"""
