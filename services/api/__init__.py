"""The HTTP API: thin Litestar controllers over the application services and the views."""
