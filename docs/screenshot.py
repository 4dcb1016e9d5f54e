"""The README's picture: the offline HTML export of the bundled data, drawn by headless Chromium.

    python docs/screenshot.py [.govgraph/graph.html] [docs/graph.png]

`make screenshot` runs it after `make demo`. Chromium is Debian's `chromium` (`make system-deps`);
the page loads nothing from the network, so neither does this.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def screenshot(page: Path, out: Path) -> None:
    """Draw the page at 1400x900, as a reader's browser window shows it."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Error: Chromium is not installed (run `make system-deps` as root)")
    if not page.is_file():
        raise SystemExit(f"Error: {page} does not exist (run `make demo` first)")
    with tempfile.TemporaryDirectory(prefix="govgraph-shot-") as profile:
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--no-first-run", f"--user-data-dir={profile}", "--window-size=1400,900",
             "--virtual-time-budget=15000", f"--screenshot={out.resolve()}", page.resolve().as_uri()],
            check=True, capture_output=True, timeout=180,
        )
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    args = sys.argv[1:]
    screenshot(Path(args[0] if args else ".govgraph/graph.html"), Path(args[1] if len(args) > 1 else "docs/graph.png"))
