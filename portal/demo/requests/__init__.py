"""Demo inclusion requests and two North Atlantic Council meetings, made through the workflow services
(`load.load_requests`); one module per stage the requests have reached, `specs` for their shape."""
