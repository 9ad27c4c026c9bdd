"""minova's own administrative API, under ``/minova`` on the compute
API's port: what Nova has no API for (a reset of the whole cloud)."""
