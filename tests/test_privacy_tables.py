"""Pure checks of what hooks.py reads without frappe: the app's child tables and the guarded endpoints."""

from __future__ import annotations

import json
from pathlib import Path

from key_account_management.access.endpoints import GUARDED, wrapper_name
from key_account_management.access.tables import DOCTYPE_DIR, app_child_doctypes, scrub


def test_every_child_table_of_the_app_is_found():
	expected = set()
	for path in Path(DOCTYPE_DIR).glob("*/*.json"):
		if path.parent.name == path.stem:
			definition = json.loads(path.read_text(encoding="utf-8"))
			if definition.get("istable"):
				expected.add(definition["name"])
	assert expected, "no child table found: the doctype folder moved?"
	assert set(app_child_doctypes()) == expected
	# the row tables the privacy rules were written for are among them
	assert {"Hospitality Recipient", "Visit Customer Attendee", "Key Account Team Member"} <= expected


def test_scrub_gives_function_names():
	assert scrub("Key Account Team Member") == "key_account_team_member"
	assert scrub("ToDo") == "todo"
	assert scrub("DocShare") == "docshare"


def test_guarded_endpoints_are_well_formed():
	for path, (doctype_arg, names_arg, ptype, refusal) in GUARDED.items():
		assert path.count(".") >= 2, path
		assert doctype_arg and names_arg, path
		assert ptype in {"read", "write"}, path
		assert refusal in {"raise", "none"}, path
		assert wrapper_name(path).isidentifier(), path
	assert len({wrapper_name(path) for path in GUARDED}) == len(GUARDED)
