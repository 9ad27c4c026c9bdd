"""minova-scheduler: picks the compute host each instance boots on."""
