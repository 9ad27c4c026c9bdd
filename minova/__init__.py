"""minova: a miniature OpenStack Nova."""
