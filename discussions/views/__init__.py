"""Views of the discussions app, one module per area."""
