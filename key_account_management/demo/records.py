"""Builders of ERPNext records (company, items, stock, invoices) for the demo data."""

from __future__ import annotations

import frappe
from frappe.utils import getdate


def ensure_erpnext_setup(company: str, abbr: str, currency: str, country: str, time_zone: str) -> None:
	"""On a fresh site ERPNext's setup wizard never ran: no presets (warehouse types, UOMs, price
	lists, ...), so a company cannot even be made. Run the wizard the way its own `before_tests` does,
	with the given company, and install the presets when a company was made without them."""
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete
	from frappe.utils import cint

	if not cint(frappe.db.get_single_value("System Settings", "setup_complete")):
		year = getdate().year
		setup_complete(
			{
				"language": "English",
				"country": country,
				"timezone": time_zone,
				"currency": currency,
				"company_name": company,
				"company_abbr": abbr,
				"chart_of_accounts": "Standard",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
			}
		)
	if not frappe.db.exists("Warehouse Type", "Transit"):
		# a company exists but the wizard's presets do not: the wizard skips them then
		from erpnext.setup.setup_wizard.operations.install_fixtures import install

		install(country)


def ensure_company(name: str, abbr: str, currency: str = "CNY", country: str = "China") -> str:
	if not frappe.db.exists("Company", name):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": currency,
				"country": country,
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return name


def ensure_fiscal_years(first_year: int, last_year: int) -> None:
	for year in range(first_year, last_year + 1):
		start = getdate(f"{year}-01-01")
		if frappe.db.sql(
			"select name from `tabFiscal Year` where %s between year_start_date and year_end_date", start
		):
			continue
		frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": str(year),
				"year_start_date": start,
				"year_end_date": getdate(f"{year}-12-31"),
			}
		).insert(ignore_permissions=True)


def leaf(doctype: str) -> str:
	return frappe.db.get_value(doctype, {"is_group": 0}, "name", order_by="creation asc")


def ensure_customer(name: str, **fields) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": leaf("Customer Group"),
				"territory": leaf("Territory"),
				**fields,
			}
		).insert(ignore_permissions=True)
	return name


def ensure_item(item_code: str, item_group: str | None = None, is_stock_item: int = 1) -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"item_group": item_group or leaf("Item Group"),
				"stock_uom": "Nos",
				"is_stock_item": is_stock_item,
				"valuation_method": "Moving Average",
			}
		).insert(ignore_permissions=True)
	return item_code


def ensure_item_group(name: str) -> str:
	if not frappe.db.exists("Item Group", name):
		frappe.get_doc(
			{"doctype": "Item Group", "item_group_name": name, "parent_item_group": "All Item Groups"}
		).insert(ignore_permissions=True)
	return name


def ensure_user(email: str, first_name: str, *roles: str, password: str | None = None) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": first_name, "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	frappe.get_doc("User", email).add_roles(*roles)
	if password:
		from frappe.utils.password import update_password

		update_password(email, password)
	return email


def ensure_employee(user: str, company: str, reports_to_user: str | None = None) -> str:
	"""The user's Employee in ``company`` (made when missing), reporting to ``reports_to_user``'s Employee.

	ERPNext's org chart decides who approves a hospitality request at Manager level: the requester's
	superior. No user permission is made, and the Employee role ERPNext gives a user linked to an Employee
	is taken back when the user did not hold it: the record only places the user in the line."""
	employee = frappe.db.get_value("Employee", {"user_id": user}, "name")
	superior = (
		frappe.db.get_value("Employee", {"user_id": reports_to_user}, "name") if reports_to_user else None
	)
	if employee:
		if frappe.db.get_value("Employee", employee, "reports_to") != superior:
			doc = frappe.get_doc("Employee", employee)
			doc.reports_to = superior
			doc.save(ignore_permissions=True)
		return employee
	first_name = frappe.db.get_value("User", user, "first_name") or user.split("@")[0]
	gender = frappe.db.get_value("Gender", {}, "name", order_by="name asc")
	if not gender:
		gender = (
			frappe.get_doc({"doctype": "Gender", "gender": "Prefer not to say"})
			.insert(ignore_permissions=True)
			.name
		)
	had_employee_role = "Employee" in frappe.get_roles(user)
	employee = (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": first_name,
				"company": company,
				"gender": gender,
				"date_of_birth": "1985-06-15",
				"date_of_joining": "2015-03-01",
				"status": "Active",
				"user_id": user,
				"create_user_permission": 0,
				"reports_to": superior,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
	if not had_employee_role and "Employee" in frappe.get_roles(user):
		frappe.get_doc("User", user).remove_roles("Employee")
	return employee


def submit(doc: dict):
	document = frappe.get_doc(doc)
	document.insert(ignore_permissions=True)
	document.submit()
	return document


def receive(company: str, warehouse: str, item_code: str, qty: float, rate: float, posting_date) -> str:
	return submit(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"items": [{"item_code": item_code, "qty": qty, "t_warehouse": warehouse, "basic_rate": rate}],
		}
	).name


def invoice(
	company: str,
	customer: str,
	warehouse: str,
	lines,
	posting_date,
	currency: str,
	update_stock: int = 1,
	**fields,
):
	return submit(
		{
			"doctype": "Sales Invoice",
			"company": company,
			"customer": customer,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"due_date": posting_date,
			"currency": currency,
			"update_stock": update_stock,
			"items": [{"item_code": i, "qty": q, "rate": r, "warehouse": warehouse} for i, q, r in lines],
			**fields,
		}
	)


def delivery_then_invoice(company: str, customer: str, warehouse: str, lines, posting_date, currency: str):
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	note = submit(
		{
			"doctype": "Delivery Note",
			"company": company,
			"customer": customer,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"currency": currency,
			"items": [{"item_code": i, "qty": q, "rate": r, "warehouse": warehouse} for i, q, r in lines],
		}
	)
	sales_invoice = make_sales_invoice(note.name)
	sales_invoice.posting_date = posting_date
	sales_invoice.set_posting_time = 1
	sales_invoice.due_date = posting_date
	sales_invoice.insert(ignore_permissions=True)
	sales_invoice.submit()
	return sales_invoice


def credit_note(original, qty_by_item: dict, posting_date):
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	credit = make_sales_return(original.name)
	credit.items = [row for row in credit.items if row.item_code in qty_by_item]
	for row in credit.items:
		row.qty = -abs(qty_by_item[row.item_code])
	credit.posting_date = posting_date
	credit.set_posting_time = 1
	credit.insert(ignore_permissions=True)
	credit.submit()
	return credit
