"""Records the integration tests build for themselves, in the test company."""

from __future__ import annotations

from contextlib import contextmanager

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, today

from key_account_management.demo import records
from key_account_management.tests.setup import TEST_ABBR, TEST_COMPANY

COMPANY = TEST_COMPANY
WAREHOUSE = f"Stores - {TEST_ABBR}"
COST_CENTER = f"Main - {TEST_ABBR}"


def days_ago(days: int) -> str:
	return add_days(today(), -days)


def leaf(doctype: str) -> str:
	return records.leaf(doctype)


def make_customer(name: str, **fields) -> str:
	return records.ensure_customer(name, **fields)


def make_item(item_code: str, is_stock_item: int = 1) -> str:
	return records.ensure_item(item_code, is_stock_item=is_stock_item)


def make_user(email: str, *roles: str) -> str:
	return records.ensure_user(email, email.split("@")[0], *roles)


def make_users(users_by_role: dict[str, tuple[str, ...]]) -> None:
	"""Each user given the role it is listed under (a user listed under two roles gets both), made as
	Administrator: the session user is Administrator afterwards."""
	frappe.set_user("Administrator")
	for role, emails in users_by_role.items():
		for email in emails:
			make_user(email, role)


def make_accounts(managers: dict[str, str], **fields) -> None:
	"""Each customer with its Key Account Profile, managed by the user it maps to (``fields`` go on every
	profile)."""
	for customer, manager in managers.items():
		make_customer(customer)
		make_profile(customer, account_manager=manager, **fields)


def receive_stock(item_code: str, qty: float, rate: float, posting_date: str) -> str:
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": COMPANY,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"items": [
				{
					"item_code": item_code,
					"qty": qty,
					"t_warehouse": WAREHOUSE,
					"basic_rate": rate,
					"conversion_factor": 1,
					"uom": "Nos",
					"cost_center": COST_CENTER,
				}
			],
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
	return entry.name


def purchase(item_code: str, qty: float, rate: float, posting_date: str) -> str:
	supplier = "KAM Test Supplier"
	if not frappe.db.exists("Supplier", supplier):
		frappe.get_doc(
			{"doctype": "Supplier", "supplier_name": supplier, "supplier_group": leaf("Supplier Group")}
		).insert(ignore_permissions=True)
	invoice = frappe.get_doc(
		{
			"doctype": "Purchase Invoice",
			"company": COMPANY,
			"supplier": supplier,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"bill_date": posting_date,
			"currency": "USD",
			"items": [{"item_code": item_code, "qty": qty, "rate": rate, "cost_center": COST_CENTER}],
		}
	)
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	return invoice.name


def sell(
	customer: str, lines: list[tuple[str, float, float]], posting_date: str, update_stock: int = 1, **fields
):
	"""Submit a Sales Invoice; lines are (item_code, qty, rate)."""
	return records.invoice(COMPANY, customer, WAREHOUSE, lines, posting_date, "USD", update_stock, **fields)


def deliver_then_invoice(customer: str, lines: list[tuple[str, float, float]], posting_date: str):
	"""A Delivery Note and the Sales Invoice made from it (rows carry dn_detail)."""
	return records.delivery_then_invoice(COMPANY, customer, WAREHOUSE, lines, posting_date, "USD")


def return_against(invoice, lines: list[tuple[str, float]], posting_date: str):
	"""A credit note against ``invoice`` returning (item_code, qty) at the invoiced rate."""
	return records.credit_note(invoice, dict(lines), posting_date)


def make_contact(first_name: str, customer: str | None = None, designation: str | None = None) -> str:
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": first_name,
			"designation": designation,
			"links": [{"link_doctype": "Customer", "link_name": customer}] if customer else [],
		}
	)
	contact.insert(ignore_permissions=True)
	return contact.name


def make_profile(customer: str, **fields) -> str:
	# the profile's figures are those of the test company, like the invoices the tests post
	fields.setdefault("company", COMPANY)
	if not frappe.db.exists("Key Account Profile", customer):
		frappe.get_doc({"doctype": "Key Account Profile", "customer": customer, **fields}).insert(
			ignore_permissions=True
		)
	return customer


def make_role(key_account: str, contact: str, buying_role: str, **fields):
	return frappe.get_doc(
		{
			"doctype": "Buying Center Role",
			"key_account": key_account,
			"contact": contact,
			"buying_role": buying_role,
			**fields,
		}
	).insert(ignore_permissions=True)


def make_employee(user: str, reports_to: str | None = None) -> str:
	"""``user``'s Employee in the test company, reporting to ``reports_to``'s Employee (the org chart the
	hospitality Manager level follows)."""
	return records.ensure_employee(user, COMPANY, reports_to)


def remove_customers(prefix: str) -> None:
	"""Delete the customers named ``prefix...`` with their ledger entries, their visits' ToDos, every record
	that links to them and their contacts, and commit (for tests whose data is committed)."""
	customers = frappe.get_all("Customer", filters={"name": ("like", f"{prefix}%")}, pluck="name")
	if customers:
		invoices = frappe.get_all("Sales Invoice", filters={"customer": ("in", customers)}, pluck="name")
		for ledger in ("GL Entry", "Payment Ledger Entry", "Stock Ledger Entry"):
			if invoices:
				frappe.db.delete(ledger, {"voucher_no": ("in", invoices)})
		visit_names = frappe.get_all("Visit Record", filters={"customer": ("in", customers)}, pluck="name")
		if visit_names:
			frappe.db.delete(
				"ToDo", {"reference_type": "Visit Record", "reference_name": ("in", visit_names)}
			)
		# every record that links to these customers (invoices, profiles, roles, visits, rollups...)
		for doctype, fieldname in frappe.db.sql(
			"""select df.parent, df.fieldname from `tabDocField` df join `tabDocType` dt on dt.name = df.parent
			where df.fieldtype = 'Link' and df.options = 'Customer' and dt.istable = 0 and dt.issingle = 0
				and dt.is_virtual = 0 and df.parent != 'Customer'"""
		):
			if not frappe.db.table_exists(doctype) or not frappe.db.has_column(doctype, fieldname):
				continue
			names = frappe.get_all(doctype, filters={fieldname: ("in", customers)}, pluck="name")
			if not names:
				continue
			for child in frappe.get_meta(doctype).get_table_fields():
				frappe.db.delete(child.options, {"parent": ("in", names), "parenttype": doctype})
			frappe.db.delete(doctype, {"name": ("in", names)})
		contacts = frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": ("in", customers)},
			pluck="parent",
		)
		for contact in set(contacts):
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
		for customer in customers:
			frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True)
	frappe.db.commit()


@contextmanager
def lock_held_elsewhere(name: str):
	"""Another database connection asks for the named lock (as a second worker running the same job would);
	yields whether it got it (1) and holds it until the block ends."""
	import pymysql

	other = pymysql.connect(
		host=frappe.conf.db_host or "127.0.0.1",
		port=int(frappe.conf.db_port or 3306),
		user=frappe.conf.db_user or frappe.conf.db_name,
		password=frappe.conf.db_password,
		database=frappe.conf.db_name,
	)
	try:
		with other.cursor() as cursor:
			cursor.execute("select get_lock(%s, 0)", f"{frappe.conf.db_name}:{name}"[:64])
			acquired = cursor.fetchone()[0]
		yield acquired
	finally:
		other.close()


def visit(start=None, **fields):
	"""An unsaved on-site Visit Record (``fields`` name the key account) that started at ``start``, two days
	ago unless given, and lasted two hours."""
	start = start or add_days(now_datetime(), -2)
	return frappe.get_doc(
		{
			"doctype": "Visit Record",
			"visit_method": "On Site",
			"planned_start": start,
			"actual_start": start,
			"actual_end": add_to_date(start, hours=2),
			**fields,
		}
	)


def stage_ranges() -> dict[str, tuple]:
	"""Each Relationship Stage's share-of-wallet range."""
	return {
		row.name: (row.sow_from, row.sow_to)
		for row in frappe.get_all("Relationship Stage", fields=["name", "sow_from", "sow_to"])
	}


def forget_users(users) -> None:
	"""What the users leave behind besides their records (defaults, notifications, activity, cached
	sessions), deleted and committed: for the tests whose users are committed."""
	frappe.db.delete("DefaultValue", {"parent": ("in", users)})
	frappe.db.delete("Notification Log", {"for_user": ("in", users)})
	frappe.db.delete("Activity Log", {"user": ("in", users)})
	frappe.db.commit()
	for user in users:
		frappe.clear_cache(user=user)


def save_settings(values: dict) -> None:
	"""Key Account Settings saved with ``values``, as the desk saves them (validated)."""
	settings = frappe.get_single("Key Account Settings")
	settings.update(values)
	settings.save(ignore_permissions=True)
