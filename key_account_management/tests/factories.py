"""Records the integration tests build for themselves, in the test company."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, today

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
