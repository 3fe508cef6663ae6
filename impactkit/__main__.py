"""``python -m impactkit``: the command line (the same as the ``impactkit`` script)."""

from impactkit.cli import main

if __name__ == "__main__":
    main()
