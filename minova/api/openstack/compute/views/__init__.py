"""How the compute API shows its resources, one module per resource."""
