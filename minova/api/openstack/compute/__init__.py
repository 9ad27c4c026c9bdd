"""The compute API resources: one module per resource, one route table."""
