"""The one component that owns addresses: networks, subnets and IPAM over
their allocation pools, ports, floating IPs, security groups."""
