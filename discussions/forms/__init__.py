"""Forms of the discussions app, one module per area."""
