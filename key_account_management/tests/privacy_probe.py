"""The privacy suite's tools: another manager's records full of canaries, and a way to call any
whitelisted method as a given user the way an HTTP request would (override hooks, whitelist and HTTP
method checks included), see everything it answers and whether it changed anything it may not.

A canary is a unique token written into every text field of the victim's records (and of the core rows
about them: comments, ToDos, versions, files, workflow actions). An answer that contains one tells the
caller something about a record they may not read. Records are committed so that REST requests, which
run on their own database connection, see them; ``clean_up`` removes all of it again.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import pkgutil
import re
from contextlib import contextmanager
from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_to_date, getdate, now_datetime, set_request, today

from key_account_management.core import hospitality_flow as flow
from key_account_management.tests import factories as f

MODULE = "Key Account Management"
OWN, VIC = "KAM-PRIV-Own", "KAM-PRIV-Victim"
ATTACKER = "kam.priv.attacker@example.com"  # Key Account Manager of OWN
VICTIM = "kam.priv.victim@example.com"  # Key Account Manager of VIC
TEAMMATE = "kam.priv.teammate@example.com"  # on VIC's team
APPROVER = "kam.priv.approver@example.com"  # Hospitality Approver only
USERS = (ATTACKER, VICTIM, TEAMMATE, APPROVER)
FAKE = "KAM-PRIV-NoSuch-0001"
TEXT_TYPES = ("Data", "Small Text", "Text", "Long Text", "Text Editor", "Markdown Editor", "HTML Editor")
# text fields whose value the code parses (a canary there would break the victim's own workflow)
CONTROL_FIELDS = {"naming_series", "approval_route", "next_approval_state", "level", "action", "amended_from"}
# core rows about a record, with the field that holds their text
CORE_ROWS = {
	"Comment": "content",
	"ToDo": "description",
	"Version": "data",
	"Workflow Action": None,
}


def app_doctypes() -> list[str]:
	return frappe.get_all(
		"DocType", filters={"module": MODULE, "issingle": 0}, pluck="name", order_by="istable, name"
	)


# ---------------------------------------------------------------------------------------------------------
# the data


class Fixture:
	"""Two accounts: OWN (the attacker's) and VIC (another manager's), each with a buying center, visits
	and hospitality requests; a contact shared by both customers; canaries in every victim text field."""

	def __init__(self):
		self.victim: dict[str, list[str]] = {}  # doctype -> names of the victim's records
		# the ERPNext documents of each account's customer (commercial/, docs/DOMAIN.md §12)
		self.documents: dict[str, dict[str, list[str]]] = {"victim": {}, "own": {}}
		self.own: dict[str, list[str]] = {}
		self.canaries: dict[str, tuple[str, str, str]] = {}  # token -> (doctype, name, field)
		self.contacts: dict[str, str] = {}
		self.core_rows: list[tuple[str, str]] = []

	def add(self, side: dict, doctype: str, name: str) -> str:
		side.setdefault(doctype, []).append(name)
		return name

	def build(self) -> Fixture:
		frappe.set_user("Administrator")
		for user, role in ((ATTACKER, "Key Account Manager"), (VICTIM, "Key Account Manager")):
			f.make_user(user, role)
		f.make_user(TEAMMATE, "Key Account Manager")
		f.make_user(APPROVER, "Hospitality Approver")
		for customer in (OWN, VIC):
			f.make_customer(customer)
		f.make_profile(OWN, account_manager=ATTACKER)
		f.make_profile(VIC, account_manager=VICTIM, account_team=[{"user": TEAMMATE, "team_role": "Sales"}])
		self.add(self.own, "Key Account Profile", OWN)
		self.add(self.victim, "Key Account Profile", VIC)
		self.contacts = {
			"own": f.make_contact("Priv Own Buyer", OWN, "Buyer"),
			"victim": f.make_contact("Priv Victim Buyer", VIC, "Buyer"),
		}
		# the victim customer's primary contact (what ERPNext's lookups of a customer's contact pick)
		frappe.db.set_value("Contact", self.contacts["victim"], "is_primary_contact", 1)
		shared = frappe.get_doc("Contact", f.make_contact("Priv Shared Consultant", OWN, "Consultant"))
		shared.append("links", {"link_doctype": "Customer", "link_name": VIC})
		shared.save(ignore_permissions=True)
		self.contacts["shared"] = shared.name

		for side, account, contacts in (
			(self.own, OWN, ("own", "shared")),
			(self.victim, VIC, ("victim", "shared")),
		):
			for key in contacts:
				role = f.make_role(account, self.contacts[key], "Influencer", family="x", hobbies="y")
				self.add(side, "Buying Center Role", role.name)
			user = ATTACKER if account == OWN else VICTIM
			for state in ("draft", "submitted", "cancelled"):
				self.add(side, "Visit Record", self.visit(account, user, contacts[0], state))
			for submit in (False, True):
				self.add(side, "Hospitality Request", self.request(account, user, contacts[0], submit))
			self.add(side, "Key Account Plan", self.plan(account, user))
		frappe.set_user("Administrator")
		self.add_profile_rows(VIC)
		self.add_core_rows()
		self.collect_children()
		self.documents = {"own": make_account_documents(OWN), "victim": make_account_documents(VIC)}
		self.plant_canaries()
		self.plant_document_canaries()
		frappe.db.commit()
		self.baseline = self.snapshot()
		return self

	def visit(self, account: str, user: str, contact_key: str, state: str) -> str:
		frappe.set_user(user)
		start = add_days(now_datetime(), -2)
		doc = frappe.get_doc(
			{
				"doctype": "Visit Record",
				"key_account": account,
				"visit_method": "On Site",
				"planned_start": start,
				"actual_start": start if state != "draft" else None,
				"actual_end": add_to_date(start, hours=1) if state != "draft" else None,
				"objective": "Review",
				"talking_points": "Forecast",
				"customer_views": "Steady",
				"next_steps": "Call back",
				"our_attendees": [{"user": user}],
				"customer_attendees": [{"contact": self.contacts[contact_key]}],
			}
		).insert()
		if state != "draft":
			doc.submit()
		if state == "cancelled":
			doc.cancel()
		frappe.set_user("Administrator")
		return doc.name

	def request(self, account: str, user: str, contact_key: str, submit: bool) -> str:
		frappe.set_user(user)
		doc = frappe.get_doc(
			{
				"doctype": "Hospitality Request",
				"key_account": account,
				"company": f.COMPANY,
				"request_type": "Meal",
				"planned_date": add_days(today(), 7),
				"business_purpose": "Review",
				"estimated_amount": 100,
				"recipients": [{"contact": self.contacts[contact_key], "amount": 100}],
				"participants": [{"user": user, "role_in_event": "Host"}],
			}
		).insert()
		if submit:
			apply_workflow(doc.as_dict(), flow.ACTION_SUBMIT)
		frappe.set_user("Administrator")
		return doc.name

	def plan(self, account: str, user: str) -> str:
		"""The account's plan of this year, made by its manager (objectives and measures are child rows)."""
		existing = frappe.db.get_value("Key Account Plan", {"key_account": account, "status": "Active"})
		if existing:
			return existing  # a build before made it (one active plan per account and period)
		frappe.set_user(user)
		year = getdate(today()).year
		doc = frappe.get_doc(
			{
				"doctype": "Key Account Plan",
				"key_account": account,
				"period_start": f"{year}-01-01",
				"period_end": f"{year}-12-31",
				"status": "Active",
				"strategy": "Grow",
				"objectives": [{"objective": "Grow", "description": "More"}],
				"measures": [
					{"objective": "Grow", "measure": "Visits Completed", "target": 4},
					{"objective": "Grow", "measure": "Milestone", "evidence": "Pending"},
				],
			}
		).insert()
		frappe.set_user("Administrator")
		return doc.name

	def add_profile_rows(self, profile: str) -> None:
		"""A row in every child table of the profile (the jobs write them in bulk; so do we)."""
		meta = frappe.get_meta("Key Account Profile")
		for df in meta.get_table_fields():
			if frappe.db.exists(df.options, {"parent": profile, "parentfield": df.fieldname}):
				continue
			row = frappe.new_doc(df.options)
			row.update({"parent": profile, "parenttype": "Key Account Profile", "parentfield": df.fieldname})
			row.idx = 1
			row.db_insert()
		request = self.victim["Hospitality Request"][-1]
		for df in frappe.get_meta("Hospitality Request").get_table_fields():
			if not frappe.db.exists(df.options, {"parent": request, "parentfield": df.fieldname}):
				row = frappe.new_doc(df.options)
				row.update(
					{"parent": request, "parenttype": "Hospitality Request", "parentfield": df.fieldname}
				)
				row.idx = 1
				row.db_insert()

	def add_core_rows(self) -> None:
		"""A comment, a ToDo and a version on every victim record; workflow actions come from the workflow."""
		for doctype, names in list(self.victim.items()):
			for name in names:
				for core in ("Comment", "ToDo", "Version"):
					values = {
						"Comment": {
							"comment_type": "Comment",
							"reference_doctype": doctype,
							"reference_name": name,
						},
						"ToDo": {"reference_type": doctype, "reference_name": name, "allocated_to": VICTIM},
						"Version": {"ref_doctype": doctype, "docname": name, "data": "{}"},
					}[core]
					row = frappe.get_doc({"doctype": core, **values})
					row.flags.ignore_permissions = True
					row.db_insert()
					self.core_rows.append((core, row.name))
		for name in frappe.get_all(
			"Workflow Action",
			filters={"reference_name": ("in", self.victim["Hospitality Request"])},
			pluck="name",
		):
			self.core_rows.append(("Workflow Action", name))

	def collect_children(self) -> None:
		for side in (self.victim, self.own):
			for doctype in list(side):
				for df in frappe.get_meta(doctype).get_table_fields():
					side.setdefault(df.options, [])
					side[df.options] += frappe.get_all(
						df.options,
						filters={"parenttype": doctype, "parent": ("in", side[doctype])},
						pluck="name",
						order_by="idx",
					)

	def plant_canaries(self) -> None:
		for doctype, names in self.victim.items():
			meta = frappe.get_meta(doctype)
			fields = [
				df.fieldname
				for df in meta.fields
				if df.fieldtype in TEXT_TYPES
				and df.fieldname not in CONTROL_FIELDS
				and not df.options == "Email"
			]
			for name in names:
				values = {field: self.canary(doctype, name, field) for field in fields}
				if values:
					frappe.db.set_value(doctype, name, values, update_modified=False)
		for core, name in self.core_rows:
			field = CORE_ROWS.get(core)
			if field:
				value = self.canary(core, name, field)
				frappe.db.set_value(
					core, name, field, json.dumps({"note": value}) if core == "Version" else value
				)

	def plant_document_canaries(self) -> None:
		"""A canary in the victim's documents' texts (title, remarks, terms, the customer's name as the
		document holds it) and their item rows' names and descriptions."""
		for doctype, names in self.documents["victim"].items():
			meta = frappe.get_meta(doctype)
			fields = [
				field
				for field in DOCUMENT_TEXT_FIELDS
				if meta.has_field(field) and meta.get_field(field).fieldtype in TEXT_TYPES
			]
			for name in names:
				frappe.db.set_value(
					doctype,
					name,
					{field: self.canary(doctype, name, field) for field in fields},
					update_modified=False,
				)
				for df in meta.get_table_fields():
					child = frappe.get_meta(df.options)
					child_fields = [field for field in ("item_name", "description") if child.has_field(field)]
					for row in frappe.get_all(df.options, filters={"parent": name}, pluck="name"):
						if child_fields:
							frappe.db.set_value(
								df.options,
								row,
								{field: self.canary(df.options, row, field) for field in child_fields},
								update_modified=False,
							)

	def canary(self, doctype: str, name: str, field: str) -> str:
		token = "kpv" + hashlib.sha1(f"{doctype}|{name}|{field}".encode()).hexdigest()[:12]
		self.canaries[token] = (doctype, name, field)
		return token

	# -----------------------------------------------------------------------------------------------------

	def snapshot(self) -> tuple:
		"""Digests of everything of the victim's: its records, their rows, their contacts and links, the
		core rows about them, and whatever is in its account. One query, one column per part."""
		if not getattr(self, "_snapshot_sql", None):
			self._snapshot_labels, self._snapshot_sql = self._snapshot_query()
		return tuple(frappe.db.sql(self._snapshot_sql)[0])

	def changed_parts(self, snapshot: tuple) -> list[str]:
		return [label for label, a, b in zip(self._snapshot_labels, snapshot, self.baseline) if a != b]

	def _snapshot_query(self) -> tuple[list[str], str]:
		def digest(doctype: str, where: str) -> str:
			columns = ", ".join(f"ifnull(`{c}`, '')" for c in frappe.db.get_table_columns(doctype))
			return (
				f"(select md5(group_concat(md5(concat_ws('|', {columns})) order by name separator ''))"
				f" from `tab{doctype}` where {where})"
			)

		def names_in(field: str, names) -> str:
			return "{} in ({})".format(field, ", ".join(frappe.db.escape(n) for n in names) or "''")

		parts = [
			(doctype, digest(doctype, names_in("name", names)))
			for doctype, names in sorted(self.victim.items())
			if names
		]
		parents = [n for dt in self.victim for n in self.victim[dt]]
		for doctype in app_doctypes():
			meta = frappe.get_meta(doctype)
			if meta.istable:
				parts.append((f"rows of {doctype}", digest(doctype, names_in("parent", parents))))
			elif meta.has_field("key_account"):
				parts.append(
					(f"{doctype} in the account", digest(doctype, f"key_account = {frappe.db.escape(VIC)}"))
				)
		for doctype, names in sorted(self.documents["victim"].items()):
			parts.append((doctype, digest(doctype, names_in("name", names))))
		contacts = list(self.contacts.values())
		parts.append(("Contact", digest("Contact", names_in("name", contacts))))
		parts.append(("contact links", digest("Dynamic Link", names_in("parent", contacts))))
		by_core: dict[str, list[str]] = {}
		for core, name in self.core_rows:
			by_core.setdefault(core, []).append(name)
		parts += [(core, digest(core, names_in("name", names))) for core, names in sorted(by_core.items())]
		return [label for label, _sql in parts], "select " + ", ".join(
			f"ifnull({sql}, '-')" for _l, sql in parts
		)

	def clean_up(self) -> None:
		clean_up()


def clean_up() -> None:
	"""Remove everything a Fixture made (also after an interrupted run)."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	accounts = (OWN, VIC)
	remove_account_documents(accounts)
	records = {}
	for doctype in ("Buying Center Role", "Visit Record", "Hospitality Request", "Key Account Plan"):
		records[doctype] = frappe.get_all(doctype, filters={"key_account": ("in", accounts)}, pluck="name")
	records["Key Account Profile"] = [a for a in accounts if frappe.db.exists("Key Account Profile", a)]
	for doctype, names in records.items():
		if not names:
			continue
		for df in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(df.options, {"parenttype": doctype, "parent": ("in", names)})
		frappe.db.delete(doctype, {"name": ("in", names)})
		for core, (dt_field, name_field) in (
			("Comment", ("reference_doctype", "reference_name")),
			("ToDo", ("reference_type", "reference_name")),
			("Version", ("ref_doctype", "docname")),
			("Workflow Action", ("reference_doctype", "reference_name")),
			("File", ("attached_to_doctype", "attached_to_name")),
			("Activity Log", ("reference_doctype", "reference_name")),
			("DocShare", ("share_doctype", "share_name")),
		):
			frappe.db.delete(core, {dt_field: doctype, name_field: ("in", names)})
	contacts = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": ("in", accounts)},
		pluck="parent",
	)
	contacts += frappe.get_all("Contact", filters={"email_id": ("in", USERS)}, pluck="name")
	for name in set(contacts):
		frappe.delete_doc_if_exists("Contact", name, force=True)
	for name in accounts:
		frappe.delete_doc_if_exists("Customer", name, force=True)
	frappe.db.delete("Sessions", {"user": ("in", USERS)})
	for user in USERS:
		frappe.delete_doc_if_exists("User", user, force=True)
	f.forget_users(USERS)


# ---------------------------------------------------------------------------------------------------------
# the account's ERPNext documents (commercial/, docs/DOMAIN.md §12)

DOCUMENT_ITEM = "KAM-PRIV-Service"
DOCUMENT_TEXT_FIELDS = ("title", "remarks", "terms", "po_no", "customer_name", "party_name")


def make_account_documents(customer: str) -> dict[str, list[str]]:
	"""One submitted Quotation, Sales Order, Delivery Note, Sales Invoice and a Payment Entry against it
	for ``customer``, in the test company (a service item: no stock needed)."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	f.make_item(DOCUMENT_ITEM, is_stock_item=0)
	line = {"item_code": DOCUMENT_ITEM, "qty": 2, "rate": 50}
	common = {"company": f.COMPANY, "currency": "USD"}

	def submit(values: dict):
		doc = frappe.get_doc({**common, **values})
		doc.insert(ignore_permissions=True)
		doc.submit()
		return doc

	quotation = submit(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"transaction_date": today(),
			"items": [line],
		}
	)
	order = submit(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"transaction_date": today(),
			"delivery_date": add_days(today(), 7),
			"items": [{**line, "delivery_date": add_days(today(), 7)}],
		}
	)
	note = submit(
		{"doctype": "Delivery Note", "customer": customer, "items": [{**line, "warehouse": f.WAREHOUSE}]}
	)
	invoice = submit(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"posting_date": add_days(today(), -3),
			"set_posting_time": 1,
			"due_date": add_days(today(), -1),
			"update_stock": 0,
			"items": [{**line, "cost_center": f.COST_CENTER}],
		}
	)
	payment = get_payment_entry("Sales Invoice", invoice.name, party_amount=40)
	payment.reference_no, payment.reference_date = "KAM-PRIV", today()
	payment.paid_amount = payment.received_amount = 40
	payment.references[0].allocated_amount = 40
	payment.insert(ignore_permissions=True)
	payment.submit()
	return {
		"Quotation": [quotation.name],
		"Sales Order": [order.name],
		"Delivery Note": [note.name],
		"Sales Invoice": [invoice.name],
		"Payment Entry": [payment.name],
	}


def remove_account_documents(customers) -> None:
	"""The documents make_account_documents made, with their ledger entries and child rows."""
	from key_account_management.commercial.doctypes import DOCUMENTS

	vouchers = []
	for doctype, (field, _party_type) in DOCUMENTS.items():
		names = frappe.get_all(doctype, filters={field: ("in", list(customers))}, pluck="name")
		if not names:
			continue
		vouchers += names
		for df in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(df.options, {"parenttype": doctype, "parent": ("in", names)})
		frappe.db.delete(doctype, {"name": ("in", names)})
	if vouchers:
		for ledger in ("GL Entry", "Payment Ledger Entry", "Stock Ledger Entry"):
			frappe.db.delete(ledger, {"voucher_no": ("in", vouchers)})
		for core, (dt_field, name_field) in (
			("Comment", ("reference_doctype", "reference_name")),
			("Version", ("ref_doctype", "docname")),
		):
			frappe.db.delete(core, {dt_field: ("in", list(DOCUMENTS)), name_field: ("in", vouchers)})
	for rollup in ("Key Account Monthly Rollup", "Key Account Item Group Rollup"):
		if frappe.db.table_exists(rollup):
			frappe.db.delete(rollup, {"customer": ("in", list(customers))})


# ---------------------------------------------------------------------------------------------------------
# the surface


SKIP_MODULE = re.compile(
	r"(^|\.)(tests?|patches|commands|test_[^.]*)(\.|$)|^frappe\.(build|app|setup_logging)$"
)


def whitelisted_functions() -> dict[str, object]:
	"""Every whitelisted function of the installed apps, by the dotted path a request names it with."""
	for app in frappe.get_installed_apps():
		package = importlib.import_module(app)
		for module in pkgutil.walk_packages(package.__path__, app + "."):
			if SKIP_MODULE.search(module.name):
				continue
			try:
				importlib.import_module(module.name)
			except Exception:
				continue
	found = {}
	for fn in frappe.whitelisted:
		qualname = getattr(fn, "__qualname__", "")
		module = getattr(fn, "__module__", "")
		if not module or "." in qualname or "<" in qualname:
			continue  # controller methods are reached through run_doc_method, tried separately
		found[f"{module}.{fn.__name__}"] = fn
	return found


def doc_methods(doctype: str) -> list[str]:
	"""The whitelisted controller methods of ``doctype`` (run_doc_method / POST /api/resource/.../<name>)."""
	from frappe.model.base_document import get_controller

	controller = get_controller(doctype)
	return sorted(
		name
		for name, member in inspect.getmembers(controller, predicate=inspect.isfunction)
		if member in frappe.whitelisted
	)


# ---------------------------------------------------------------------------------------------------------
# calling as a user


class Answer:
	__slots__ = ("changed", "error", "messages", "ok", "seconds", "text")

	def __init__(self, ok, error, text, changed, seconds, messages=""):
		self.ok, self.error, self.text, self.changed, self.seconds = ok, error, text, changed, seconds
		self.messages = messages

	def __repr__(self):
		return f"Answer(ok={self.ok}, error={self.error}, changed={self.changed}, text={self.text[:300]!r})"


REFUSALS = {"PermissionError", "DoesNotExistError", "PageDoesNotExistError"}


def _serialise(value) -> str:
	def default(obj):
		if isinstance(obj, bytes):
			return obj.decode("latin-1")
		return str(obj)

	try:
		return json.dumps(value, default=default, sort_keys=True)
	except Exception:
		return repr(value)


@contextmanager
def sandbox():
	"""No commits, and background jobs run in line (as a worker would, as the same user)."""

	def enqueue(method, *args, **kwargs):
		for key in (
			"queue",
			"timeout",
			"now",
			"is_async",
			"job_name",
			"enqueue_after_commit",
			"at_front",
			"job_id",
			"deduplicate",
			"on_success",
			"on_failure",
			"event",
		):
			kwargs.pop(key, None)
		method = frappe.get_attr(method) if isinstance(method, str) else method
		return method(*args, **kwargs)

	# as in production: frappe.only_for and friends let everything through while in_test is set
	in_test, frappe.flags.in_test = frappe.flags.in_test, False
	try:
		with patch.object(frappe.db, "commit", lambda *a, **k: None), patch("frappe.enqueue", enqueue):
			yield
	finally:
		frappe.flags.in_test = in_test


def writes() -> int:
	"""Rows this connection has inserted, updated or deleted so far (MariaDB's session counters): a call
	that wrote nothing changed nothing, and needs no snapshot."""
	rows = frappe.db.sql(
		"show session status where Variable_name in ('Handler_write', 'Handler_update', 'Handler_delete')"
	)
	return sum(int(value) for _name, value in rows)


_writes = -1


def call(
	cmd: str, args: dict, user: str, fixture: Fixture | None = None, http_method: str = "POST"
) -> Answer:
	"""``cmd`` with ``args`` as ``user``, through frappe.handler.execute_cmd like a request; rolled back.
	The session user stays ``user`` (set it back with frappe.set_user when done)."""
	import time

	from frappe.handler import execute_cmd

	if frappe.session.user != user:
		frappe.set_user(user)
	set_request(method=http_method, path=f"/api/method/{cmd}")
	frappe.local.form_dict = frappe._dict(args, cmd=cmd)
	frappe.local.response = frappe._dict(docs=[])
	frappe.local.message_log = []
	frappe.flags.error_message = None
	start = time.monotonic()
	ok, error, result = True, None, None
	try:
		with sandbox():
			result = execute_cmd(cmd)
	except Exception as e:
		ok, error, result = False, type(e).__name__, str(e)
	seconds = time.monotonic() - start
	# messages as their text only (their ids and indicators differ from call to call)
	messages = [m.get("message") if isinstance(m, dict) else m for m in frappe.local.message_log]
	text = _serialise(
		[
			result,
			{k: v for k, v in frappe.local.response.items() if k != "docs"},
			frappe.local.response.get("docs"),
			messages,
		]
	)
	messages = _serialise([messages, frappe.flags.error_message])
	# the fixture is committed: a call that wrote anything is undone by a rollback, and one that wrote
	# nothing (most) needs neither the rollback nor the snapshot. A call that raised is rolled back whole
	# by Frappe's request handler, so only a completed call can change anything.
	changed = []
	global _writes
	after = writes()
	if after != _writes:
		if ok and fixture:
			changed = fixture.changed_parts(fixture.snapshot())
		frappe.db.rollback()
		_writes = writes()
	frappe.local.message_log = []
	return Answer(ok, error, text, changed, seconds, messages)


TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?")
# a traceback in an answer (bulk endpoints report them per document, inside a JSON string): only the
# exception it ends with counts
TRACEBACK = re.compile(r'Traceback \(most recent call last\):(?:\\.|[^"\\])*')
EXCEPTION = re.compile(r"(\w+(?:Error|Exception))\b")


# Frappe's refusals in messages ("Insufficient Permission for ...", "... not found"): a refusal is a
# refusal, whether the record is someone else's or does not exist
REFUSAL_TEXT = re.compile(
	r"(?:Insufficient Permission for|Not allowed via controller permission check|No permission for|Not permitted)"
	r'(?:\\.|[^"\\])*|(?:\\.|[^"\\])*(?: not found|does not exist|does not have access to this document)(?:\\.|[^"\\])*'
)


def _exception_only(match) -> str:
	names = EXCEPTION.findall(match.group(0))
	name = names[-1] if names else "Exception"
	return "<REFUSED>" if name in REFUSALS else name


def normalise(answer: Answer, names: tuple[str, ...]) -> tuple:
	"""What an answer says, with the record's name, times and Frappe's refusals made alike: a record
	the caller may not read and one that does not exist must come out the same."""
	if not answer.ok and answer.error in REFUSALS:
		return ("refused",)
	text = answer.text
	for name in sorted(names, key=len, reverse=True):
		text = text.replace(json.dumps(name)[1:-1], "<NAME>")
	text = REFUSAL_TEXT.sub("<REFUSED>", TRACEBACK.sub(_exception_only, text))
	if answer.ok and "<REFUSED>" in text and REFUSAL_TEXT.search(answer.messages):
		# a bulk endpoint that answers (its failures) and tells the refusal as a message
		return ("refused",)
	return (answer.ok, answer.error if not answer.ok else None, TIMESTAMP.sub("<TS>", text))


def leaked_canaries(fixture: Fixture, answer: Answer, sent: str) -> list[str]:
	"""Canaries in the answer that the caller did not send."""
	said = answer.text + answer.messages
	return [token for token in fixture.canaries if token in said and token not in sent]
