"""Entry point for running from a checkout: ``python cli.py ...`` is ``lev2040 ...``."""

from lev2040_mcda.cli import main

if __name__ == "__main__":
    main()
