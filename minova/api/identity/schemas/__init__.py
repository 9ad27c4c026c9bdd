"""JSON Schemas of the identity API's request bodies."""
