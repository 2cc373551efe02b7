"""Profiles get the company their figures are in, its currency and the account manager's name; visits
the currency of their cost. Set-based: one statement per column."""

import frappe


def execute():
	company = frappe.db.get_single_value(
		"Key Account Settings", "company"
	) or frappe.defaults.get_global_default("company")
	if company:
		frappe.db.sql(
			"update `tabKey Account Profile` set company = %s where ifnull(company, '') = ''", company
		)
	frappe.db.sql(
		"""update `tabKey Account Profile` kap inner join `tabCompany` c on c.name = kap.company
		set kap.company_currency = c.default_currency"""
	)
	frappe.db.sql(
		"""update `tabKey Account Profile` kap inner join `tabUser` u on u.name = kap.account_manager
		set kap.account_manager_name = u.full_name"""
	)
	frappe.db.sql(
		"""update `tabVisit Record` v inner join `tabKey Account Profile` kap on kap.name = v.key_account
		set v.company_currency = kap.company_currency"""
	)
