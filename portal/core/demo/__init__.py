"""The demo data set: the source text's facts and realistic volume around them (`manage.py load_demo`)."""

from .facts import DEMO_PASSWORD
from .loader import DemoResult, demo_load

__all__ = ["DEMO_PASSWORD", "DemoResult", "demo_load"]
