"""Key Account Settings shows its amounts in its company's currency."""

import frappe


def execute():
	company = frappe.db.get_single_value("Key Account Settings", "company")
	if company:
		currency = frappe.db.get_value("Company", company, "default_currency")
		frappe.db.set_single_value("Key Account Settings", "company_currency", currency)
