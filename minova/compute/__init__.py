"""minova-compute and the API-side compute logic (``compute.api``)."""
