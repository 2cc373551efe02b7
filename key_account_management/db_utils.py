"""Small batched-write helpers (Frappe v15 has bulk_insert but no bulk update)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import frappe
from frappe import _

CHUNK_SIZE = 500


def bulk_update(doctype: str, updates: dict[str, dict], chunk_size: int = CHUNK_SIZE) -> int:
	"""Set per-row values: ``updates`` maps a document name to {fieldname: value}.

	One UPDATE ... SET f = CASE name WHEN .. THEN .. END per chunk and field set, all parameters
	bound, so 50,000 rows cost 100 statements instead of 50,000.
	"""
	by_fields: dict[tuple[str, ...], dict[str, dict]] = {}
	for name, values in updates.items():
		by_fields.setdefault(tuple(sorted(values)), {})[name] = values

	table = f"`tab{doctype}`"
	for fields, rows in by_fields.items():
		names = list(rows)
		for start in range(0, len(names), chunk_size):
			chunk = names[start : start + chunk_size]
			params: list = []
			assignments = []
			for field in fields:
				cases = " ".join(["when %s then %s"] * len(chunk))
				assignments.append(f"`{field}` = case `name` {cases} end")
				for name in chunk:
					params.extend((name, rows[name][field]))
			placeholders = ", ".join(["%s"] * len(chunk))
			params.extend(chunk)
			frappe.db.sql(
				f"update {table} set {', '.join(assignments)} where `name` in ({placeholders})", params
			)
	return len(updates)


@contextmanager
def named_lock(name: str, message: str | None = None) -> Iterator[None]:
	"""A MariaDB named lock: held by this connection only, so a killed run releases it."""
	key = f"{frappe.conf.db_name}:{name}"[:64]
	if not frappe.db.sql("select get_lock(%s, 0)", key)[0][0]:
		frappe.throw(message or _("Another run of {0} is in progress; try again when it ends.").format(name))
	try:
		yield
	finally:
		frappe.db.sql("select release_lock(%s)", key)


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
	for start in range(0, len(items), size):
		yield items[start : start + size]
