"""Running the portal: health and readiness endpoints, Prometheus metrics, request ids in logs and tasks,
the database router for a read replica, and the Celery worker's heartbeat."""
