"""`python3 -m fakeapi ...` (working directory Tests/, or PYTHONPATH=Tests)."""

import sys

from fakeapi.cli import main

if __name__ == "__main__":
    sys.exit(main())
