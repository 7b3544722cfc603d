"""Run many credcli commands one after another in ONE process (tests only).

Usage: python cli_loop.py COMMANDS.json
COMMANDS.json holds a list of argument lists. Each runs through the real entry
point exactly as ``credcli ARGS`` would (its own engine, session and transaction);
starting a new interpreter per command would only make the concurrency tests slow.
Stops at the first command that does not exit 0 and exits with its code.
"""

from __future__ import annotations

import json
import sys

from credcli.cli.app import app


def main() -> int:
    with open(sys.argv[1]) as handle:
        commands = json.load(handle)
    for args in commands:
        try:
            app(args, prog_name="credcli")
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            if code != 0:
                print(f"cli_loop: 'credcli {' '.join(args)}' exited {code}", file=sys.stderr)
                return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
