"""The JSON API (``/api/v1``): workshops and their summaries, described by OpenAPI."""
