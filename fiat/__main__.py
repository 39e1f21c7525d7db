"""``python -m fiat``: the same as the ``fiat`` command."""

from fiat.cli import main

main()
