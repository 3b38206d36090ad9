"""Check Mermaid charts with Mermaid's own parser, run by Node (tests/package.json pins it).

The tests that use it skip only when npm is not installed; with npm, a missing ``tests/node_modules``
is a failure that says how to install it (CI runs ``npm ci`` in .ci/run).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
needs_npm = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")


def parse(*charts: str) -> list[dict]:
    """Mermaid's verdict on each chart: ``{"ok": True, "type": "flowchart-v2"}`` or an error."""
    if not (HERE / "node_modules" / "mermaid").is_dir():
        pytest.fail("Mermaid is not installed for the tests: run `npm ci --prefix tests`")
    node = shutil.which("node")
    assert node is not None, "npm is installed but node is not on PATH"
    result = subprocess.run([node, str(HERE / "mermaid_check.mjs")], input=json.dumps(list(charts)),
                            capture_output=True, text=True, cwd=HERE, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
