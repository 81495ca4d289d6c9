"""The audit trail's rows are pghistory's event models, declared by each tracked app.

This module exists so that Django sends this app's post_migrate signal (it skips apps without a models
module), on which the append-only triggers are installed (protection.py).
"""
