"""The layout's rules: no import circle among the modules of emolytics, and importing them
changes nothing global (the factory wires extensions, listeners and the job queue)."""

import ast
import graphlib
import json
import os
import subprocess
import sys
from pathlib import Path

import emolytics
from emolytics import config

PACKAGE = Path(emolytics.__file__).parent
PROJECT = PACKAGE.parent.parent


def modules() -> dict[str, Path]:
    """Every module of emolytics by dotted name (the Alembic migrations aside: Alembic loads
    them by path)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "migrations" in parts:
            continue
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _owner(name: str, known: dict[str, Path]) -> str | None:
    """The module of emolytics that `name` (a module or a name in one) belongs to."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of emolytics that `name` imports, anywhere in it (inside functions too).

    A blueprint's modules importing `bp` from their own package is Flask's idiom, not a circle:
    the package imports its views to register their routes, and they need the blueprint.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    imported: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            imported.update(_owner(alias.name, known) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                if alias.name == "bp" and base == name.rpartition(".")[0]:
                    continue
                imported.add(_owner(f"{base}.{alias.name}", known))
    return {module for module in imported if module and module != name}


def test_no_module_of_emolytics_imports_itself_in_a_circle():
    known = modules()
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    assert "emolytics.jobqueue" in graph and graph["emolytics.app"]  # the walk found imports
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        circle = " -> ".join(reversed(error.args[1]))
        raise AssertionError(f"import circle: {circle}") from None


# Imports every module named on the command line, reports what is set up globally, builds an
# app, and reports again. SQLAlchemy keeps every listener attached with `event.listen` (on a
# class, an engine or a session factory) in one registry; its mapping is private, but it is
# the only view of all of them at once.
PROBE = """
import importlib, json, sys, tempfile
from flask_login import user_loaded_from_cookie
from sqlalchemy.event import registry

for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
from emolytics.app import create_app
from emolytics.extensions import login_manager


def state():
    listeners = set()
    for references in registry._collection_to_key.values():
        for reference in references:
            listener = reference()
            if listener is not None and listener.__module__.startswith("emolytics"):
                listeners.add(f"{listener.__module__}.{listener.__qualname__}")
    return {
        "listeners": sorted(listeners),
        "login_view": login_manager.login_view,
        "user_loader": login_manager.user_callback is not None,
        "request_loader": login_manager.request_callback is not None,
        "cookie_receivers": len(user_loaded_from_cookie.receivers),
    }


imported = state()
database = f"sqlite:///{tempfile.mkdtemp()}/probe.db"
create_app({"TESTING": True, "SECRET_KEY": "probe", "DATABASE_URL": database})
print(json.dumps({"imported": imported, "built": state()}))
"""


def test_importing_every_module_changes_nothing_until_the_factory_runs(tmp_path):
    names = sorted(name for name in modules() if name != "emolytics.__main__")  # runs the CLI
    environment = {
        **{key: value for key, value in os.environ.items() if key not in config.ENVIRONMENT},
        "EMOLYTICS_INSTANCE_PATH": str(tmp_path),
    }
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(names)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=environment,
        timeout=120,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    report = json.loads(probe.stdout.splitlines()[-1])

    assert report["imported"] == {
        "listeners": [],
        "login_view": None,
        "user_loader": False,
        "request_loader": False,
        "cookie_receivers": 0,
    }
    built = report["built"]  # the same probes see what the factory wires
    assert "emolytics.extensions._sqlite_pragmas" in built["listeners"]
    assert "emolytics.caching._raise_counters" in built["listeners"]
    assert built["login_view"] == "auth.login"
    assert built["user_loader"] and built["request_loader"]
    assert built["cookie_receivers"] == 1


def test_every_module_is_under_300_lines():
    """Modules others can live in: one resource each, under 300 lines (migrations and vendored
    scripts aside), Python and the pages' scripts alike."""
    modules = [*PACKAGE.rglob("*.py"), *(PACKAGE / "static" / "js").rglob("*.js")]
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in modules
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) >= 300
    }
    assert long == {}
