"""The demo data set: the source text's facts and realistic volume around them (`manage.py load_demo`).

`loader.demo_load` loads it; `facts.people.DEMO_PASSWORD` is the demo users' password. An app (apps.py)
only so that Django finds the command; nothing is imported here, since Django imports this package before
the models are ready.
"""
