"""The image API (a Glance v2 subset): its store and the images seeded at
bootstrap."""

from oslo_config import cfg

image_group = cfg.OptGroup(
    "image", title="Image API options",
    help="The image API (a Glance v2 subset) keeps images in the database "
         "and their data under store_path.")

image_opts = [
    cfg.DictOpt("images",
                default={"cirros": "6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f"},
                help="Images bootstrap creates when missing (public, "
                     "active, without data), as name:uuid pairs separated "
                     "by commas. Each id must be a UUID and each name "
                     "unique."),
    cfg.StrOpt("store_path",
               default="$state_path/images",
               help="Directory of the images' data, one file per image."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(image_group)
    conf.register_opts(image_opts, group=image_group)


def list_opts() -> dict:
    return {"image": image_opts}
