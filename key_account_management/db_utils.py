"""Small batched-write helpers (Frappe v15 has bulk_insert but no bulk update)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

import frappe
from frappe import _

CHUNK_SIZE = 500
T = TypeVar("T")


def bulk_update(
	doctype: str, updates: dict[str, dict], chunk_size: int = CHUNK_SIZE, update_modified: bool = False
) -> int:
	"""Set per-row values: ``updates`` maps a document name to {fieldname: value}.

	Rows that get the same values share one UPDATE ... WHERE name IN (...) per thousand names; the
	others one UPDATE ... JOIN JSON_TABLE(...) per 5,000 rows and field set, all values bound, so
	50,000 rows cost ten statements instead of 50,000.

	``update_modified`` stamps the rows as modified now by the current user, as a document save would:
	a form opened before this write and saved after it is then refused ("modified after you opened
	it") instead of writing its stale copy of these fields back over them.
	"""
	if update_modified and updates:
		now, user = frappe.utils.now_datetime(), frappe.session.user
		updates = {name: {**values, "modified": now, "modified_by": user} for name, values in updates.items()}
	table = f"`tab{doctype}`"
	# rows that get the same values (a class, a status) share one UPDATE ... WHERE name IN (...): found
	# by primary key, where a CASE over hundreds of names is compared row by row
	by_values: dict[tuple, list[str]] = {}
	unique: dict[str, dict] = {}
	for name, values in updates.items():
		key = tuple(sorted(values.items()))
		try:
			by_values.setdefault(key, []).append(name)
		except TypeError:  # an unhashable value: written on its own below
			unique[name] = values
	for key, names in by_values.items():
		if len(names) == 1:
			unique[names[0]] = dict(key)
			continue
		assignments = ", ".join(f"`{field}` = %s" for field, _value in key)
		for start in range(0, len(names), 1000):
			chunk = names[start : start + 1000]
			frappe.db.sql(
				f"update {table} set {assignments} where `name` in ({', '.join(['%s'] * len(chunk))})",
				[value for _field, value in key] + chunk,
			)

	# the others: each row's values joined by name from one JSON document per 5,000 rows (MariaDB's
	# JSON_TABLE), where an UPDATE ... SET f = CASE name WHEN ... compares every row with every name
	by_fields: dict[tuple[str, ...], dict[str, dict]] = {}
	for name, values in unique.items():
		by_fields.setdefault(tuple(sorted(values)), {})[name] = values
	for fields, rows in by_fields.items():
		names = list(rows)
		columns = ", ".join(f"`v{i}` longtext path '$[{i + 1}]'" for i in range(len(fields)))
		assignments = ", ".join(f"t.`{field}` = j.`v{i}`" for i, field in enumerate(fields))
		for start in range(0, len(names), 5000):
			document = json.dumps(
				[
					[name, *(_json_value(rows[name][field]) for field in fields)]
					for name in names[start : start + 5000]
				],
				default=str,
			)
			frappe.db.sql(
				f"""update {table} t join json_table(%s, '$[*]' columns(`name` varchar(140) path '$[0]', {columns})) j
				on j.`name` = t.`name` set {assignments}""",
				(document,),
			)
	return len(updates)


def _json_value(value):
	# JSON true/false would reach MariaDB as the words; Check and Int columns want 1/0
	return int(value) if isinstance(value, bool) else value


def append_child_rows(
	child_doctype: str,
	parenttype: str,
	parentfield: str,
	rows: list[dict],
	idx_from_one: bool = False,
	now=None,
) -> int:
	"""Bulk-insert child rows ({"parent": ..., field: value, ...}) after each parent's existing rows.

	What Document.append + save would do for thousands of parents, in one idx query and one
	multi-row insert. ``idx_from_one`` numbers each parent's new rows from 1 (the caller replaced them);
	``now`` stamps them (the current time when not given), so a job's rows share its run's time.
	"""
	if not rows:
		return 0
	next_idx: dict[str, int] = {}
	if not idx_from_one:
		next_idx = dict(
			frappe.db.sql(
				f"""select parent, max(idx) from `tab{child_doctype}`
				where parenttype = %(parenttype)s and parentfield = %(parentfield)s and parent in %(parents)s
				group by parent""",
				{
					"parenttype": parenttype,
					"parentfield": parentfield,
					"parents": tuple({r["parent"] for r in rows}),
				},
			)
		)
	now, user = now or frappe.utils.now_datetime(), frappe.session.user
	fields = sorted({key for row in rows for key in row} - {"parent"})
	values = []
	for row in rows:
		idx = (next_idx.get(row["parent"]) or 0) + 1
		next_idx[row["parent"]] = idx
		base = (
			frappe.generate_hash(length=10),
			now,
			now,
			user,
			user,
			row["parent"],
			parenttype,
			parentfield,
			idx,
		)
		values.append((*base, *(row.get(field) for field in fields)))
	insert_rows(
		child_doctype,
		[
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"parent",
			"parenttype",
			"parentfield",
			"idx",
			*fields,
		],
		values,
	)
	return len(values)


def insert_rows(doctype: str, fields: list[str], values: list[tuple], chunk_size: int = 2000) -> None:
	"""Multi-row INSERTs with every value bound, ``chunk_size`` rows a statement.

	What ``frappe.db.bulk_insert`` does, without building the statement through the query builder,
	which took 30 µs per value: for a first reclassification's 30,000 history rows and alerts that was
	most of the run (py-spy)."""
	columns = ", ".join(f"`{field}`" for field in fields)
	row = "(" + ", ".join(["%s"] * len(fields)) + ")"
	for start in range(0, len(values), chunk_size):
		chunk = values[start : start + chunk_size]
		frappe.db.sql(
			f"insert into `tab{doctype}` ({columns}) values {', '.join([row] * len(chunk))}",
			[value for row_values in chunk for value in row_values],
		)


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


def table_ready(doctype: str) -> bool:
	"""Whether migrate has made ``doctype``'s table: False on a site running new code before its migrate,
	where the document events that write such a table must do nothing. Asked once per request or job:
	the submit hooks ask it on every invoice and visit."""
	known = getattr(frappe.local, "kam_tables", None)
	if known is None:
		known = frappe.local.kam_tables = {}
	if doctype not in known:
		known[doctype] = bool(frappe.db.table_exists(doctype))
	return known[doctype]


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
	for start in range(0, len(items), size):
		yield items[start : start + size]


def _alert_value(field: str, value):
	"""A bulk insert skips the document's HTML sanitising: the subject (names users typed) is text, the
	content keeps only safe markup."""
	if not value or not isinstance(value, str):
		return value
	if field == "subject":
		return frappe.utils.escape_html(value)
	if field == "email_content":
		return frappe.utils.sanitize_html(value)
	return value


def insert_alerts(alerts: list[dict]) -> int:
	"""Insert Notification Logs of type Alert ({"for_user", "subject", "document_type", ...}) in one
	multi-row insert, and do once per user what Notification Log.after_insert does per row: mark the
	user's notifications unseen and refresh their bell after the commit.

	A document insert per alert costs milliseconds (hooks, link checks), which a job telling hundreds
	of managers about their accounts pays hundreds of times. Frappe sends no email for an Alert, so
	nothing else happens per row."""
	from frappe.desk.doctype.notification_log.notification_log import set_notifications_as_unseen

	alerts = [alert for alert in alerts if alert.get("for_user")]
	if not alerts:
		return 0
	now, user = frappe.utils.now_datetime(), frappe.session.user
	fields = ["document_type", "document_name", "subject", "email_content"]
	insert_rows(
		"Notification Log",
		["name", "creation", "modified", "owner", "modified_by", "for_user", "type", "read", *fields],
		[
			(
				frappe.generate_hash(length=10),
				now,
				now,
				user,
				user,
				alert["for_user"],
				"Alert",
				0,
				*(_alert_value(field, alert.get(field)) for field in fields),
			)
			for alert in alerts
		],
	)
	for for_user in dict.fromkeys(alert["for_user"] for alert in alerts):
		frappe.publish_realtime("notification", after_commit=True, user=for_user)
		set_notifications_as_unseen(for_user)
	return len(alerts)


# a deadlock or a lock wait the database gave up on: the work may succeed when simply run again
RETRYABLE_ERRORS = (frappe.QueryDeadlockError, frappe.QueryTimeoutError)


def run_atomically(name: str, work: Callable[[], T], attempts: int = 3, pause: float = 0.2) -> T:
	"""Run ``work()`` all or nothing, again when the database gave up on a lock, and return its result.

	The work runs inside the savepoint ``name`` of the caller's transaction, so a failure undoes only
	the work. A lock wait timeout undoes one statement and the savepoint survives: the work is rolled
	back to it and run again. A deadlock is different: MariaDB rolls the whole transaction back,
	savepoints included, and rolling back to the savepoint would fail with "SAVEPOINT does not exist",
	hiding the deadlock. Then Frappe's transaction is rolled back too (its commit hooks go with it),
	and the work runs again only when the transaction held nothing of the caller's (a scheduled job,
	a request that wrote nothing before): otherwise the caller's writes are gone and it must retry its
	whole unit, so the deadlock is raised. Up to ``attempts`` runs, ``pause`` seconds more before each
	retry; the error that ends the runs is raised as it was, never the rollback's own failure."""
	owns_transaction = not frappe.db.transaction_writes
	for attempt in range(1, attempts + 1):
		frappe.db.savepoint(name)
		try:
			result = work()
		except Exception as error:
			if not _rollback_to_savepoint(name):
				# the database rolled the transaction back already; Frappe follows
				try:
					frappe.db.rollback()
				except Exception:
					raise error from None
				if not owns_transaction:
					raise
			if not isinstance(error, RETRYABLE_ERRORS) or attempt == attempts:
				raise
			frappe.logger("key_account_management").warning(
				f"{name}: {type(error).__name__} on attempt {attempt} of {attempts}, running it again: {error}"
			)
			time.sleep(pause * attempt)
			continue
		frappe.db.release_savepoint(name)
		return result
	raise AssertionError("unreachable: the last attempt returns or raises")


def _rollback_to_savepoint(name: str) -> bool:
	"""Roll back to the savepoint; False when it no longer exists (a deadlock rolled everything back)."""
	try:
		frappe.db.rollback(save_point=name)
	except Exception:
		return False
	return True
