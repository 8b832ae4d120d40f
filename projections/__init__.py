"""Read models kept from the event log. Every view can be rebuilt from the log at any time."""
