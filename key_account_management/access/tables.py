"""The app's child doctypes, read from their DocType files (no database: hooks.py needs them at import).

Every child table of the app gets the row rule of its parent (rules.child_query) and the child-row
controller (rows.ChildRow); listing them here from the files means a new child table is covered the day
it is added, and a test checks that its controller is a ChildRow.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DOCTYPE_DIR = Path(__file__).resolve().parent.parent / "key_account_management" / "doctype"


@cache
def app_child_doctypes() -> tuple[str, ...]:
	names = []
	for path in sorted(DOCTYPE_DIR.glob("*/*.json")):
		if path.parent.name != path.stem:
			continue
		try:
			definition = json.loads(path.read_text(encoding="utf-8"))
		except (OSError, ValueError):
			continue
		if definition.get("doctype") == "DocType" and definition.get("istable"):
			names.append(definition["name"])
	return tuple(names)


def scrub(name: str) -> str:
	"""frappe.scrub without frappe: the function-name form of a doctype name."""
	return name.replace(" ", "_").replace("-", "_").lower()
