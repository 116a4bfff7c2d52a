"""Serve our app or the naive one on a data folder, for the browser and load measurements.

    python -m bench.serve --app ours|naive --data FOLDER --port PORT [--editor NAME]
"""

from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", choices=("ours", "naive"), default="ours")
    parser.add_argument("--data", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--editor", help="this machine's user may change the data, as NAME")
    args = parser.parse_args()
    if args.app == "ours":
        from app import create_app
        app = create_app(args.data, local_editor=args.editor)
    else:
        from bench.naive_app import create_naive_app
        app = create_naive_app(args.data)
    app.run(host="127.0.0.1", port=args.port, debug=False)


if __name__ == "__main__":
    main()
