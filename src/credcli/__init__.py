"""credcli: a healthcare credentialing office at the terminal."""

__version__ = "0.1.0"
