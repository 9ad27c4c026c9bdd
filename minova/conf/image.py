"""The image catalog: minova has no image service, so the images servers
may boot from are named here."""

from oslo_config import cfg

image_group = cfg.OptGroup(
    "image", title="Image catalog",
    help="minova has no Glance. The images listed here are what imageRef "
         "is checked against and what GET /v2.1/images (and /v2.1/v2/"
         "images, where the openstack and nova CLIs look images up) "
         "serve, in Glance's v2 shape.")

image_opts = [
    cfg.DictOpt("images",
                default={"cirros": "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f"},
                help="The image catalog, as name:uuid pairs separated by "
                     "commas. Each id must be a UUID and each name unique."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(image_group)
    conf.register_opts(image_opts, group=image_group)


def list_opts() -> dict:
    return {"image": image_opts}
