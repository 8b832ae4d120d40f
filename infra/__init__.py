"""Infrastructure: settings, persistence wiring, schema initialisation, Celery wiring."""
