"""The application's use cases, one mixin per area, combined in services.application."""
