"""The network API: a Neutron v2.0 subset (routes, handlers, schemas);
the addresses behind it are ``minova.network``'s."""
