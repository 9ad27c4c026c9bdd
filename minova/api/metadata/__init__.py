"""The metadata API: what an instance learns about itself."""
