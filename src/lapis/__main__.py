"""The one command-line entry: `lapis COMMAND` is Django's manage.py under LAPIS's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapis.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["lapis", *sys.argv[1:]])
    except BrokenPipeError:
        # `lapis drift | head`: the reader stopped listening; stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
