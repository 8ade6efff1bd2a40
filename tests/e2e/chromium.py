"""How the browser tests and scripts/screenshots.py start Chromium: one place for the flags."""

import os

# Headless Chromium as a root user in a container, without the background traffic that would
# make a test's network quieter or noisier from one run to the next.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
