"""Placeholder until the servers work lands: no flavor object yet."""
