#!/usr/bin/env python3
"""Serve a built dist/ on loopback, the way `trunk serve` does (Trunk.toml [serve]).

Usage: serve.py DIRECTORY PORT

Same as `python3 -m http.server --bind 127.0.0.1 --directory DIRECTORY PORT`, plus the
two headers that make the page cross-origin isolated (Cross-Origin-Opener-Policy and
Cross-Origin-Embedder-Policy). The page needs neither to work; isolation only gives it
(and the benchmarks in e2e/bench.mjs) the browser's fine clock: without it Chromium
rounds performance.now() and requestAnimationFrame timestamps to 0.1 ms, so a frame
that was on time reads 16.8 ms as often as 16.7. The page loads nothing from other
hosts, so require-corp blocks nothing.
"""

import functools
import http.server
import sys

HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the isolation headers on every response."""

    def end_headers(self):
        for name, value in HEADERS.items():
            self.send_header(name, value)
        super().end_headers()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    directory, port = sys.argv[1], int(sys.argv[2])
    handler = functools.partial(Handler, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving {directory} on http://127.0.0.1:{port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
