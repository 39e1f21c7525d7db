#!/usr/bin/env python
"""Django's command-line utility for Fiat; ``fiat`` is the same runner."""

from fiat.cli import main

if __name__ == "__main__":
    main()
