"""The audit trail's rows are pghistory's event models, declared by each tracked app.

This module exists so that Django sends this app's post_migrate signal (it skips apps without a models
module), on which the context table's trigger and the grants are installed (protection.py).
"""
