"""The code's layers depend one way: the data model (presence/) on nothing of the interface,
geometry (layers/) on the data model, figures on both, the panels and the page on figures;
callbacks and app.py come last. An import that runs backwards fails here, named."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Package or module: the top-level names it must never import.
NEVER = {
    "presence": {"layers", "figures", "callbacks", "export", "panels", "layout", "app", "bench"},
    "layers": {"figures", "callbacks", "export", "panels", "layout", "app", "bench"},
    "figures": {"callbacks", "export", "panels", "layout", "app", "bench"},
    "export": {"callbacks", "panels", "layout", "app", "bench"},
    "panels": {"layout", "app", "bench"},
    "layout.py": {"callbacks", "app", "bench"},
    # The command line imports the dashboard only to serve it (commands.serve: app).
    "commands.py": {"dash", "callbacks", "panels", "layout"},
    "i18n.py": {"presence", "layers", "figures", "callbacks", "export", "layout", "app"},
}


def imported(path: Path) -> set[str]:
    """The top-level names a module imports, at any depth of its code."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_imports_run_one_way():
    backwards = []
    for part, forbidden in NEVER.items():
        files = [ROOT / part] if part.endswith(".py") else sorted((ROOT / part).rglob("*.py"))
        assert files, part
        for path in files:
            for name in imported(path) & forbidden:
                backwards.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not backwards, backwards
