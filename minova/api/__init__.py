"""The REST APIs: the compute API (``openstack``) and the metadata API."""
