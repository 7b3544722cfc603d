"""Entry point for ``credcli`` and ``python -m credcli``."""

from credcli.cli.app import app


def main() -> None:
    app(prog_name="credcli")


if __name__ == "__main__":
    main()
