"""JSON Schemas of the compute API's request bodies, one module per
resource."""
