"""The image service's domain: the store of image data and the seeding of
images from ``[image] images``."""
