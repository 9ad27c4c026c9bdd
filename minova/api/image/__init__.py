"""The image API: a Glance v2 subset (docs/api.md)."""
