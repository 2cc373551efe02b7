"""Which company (and so which currency) a user's key-account work is in.

The settings' company is the one the classification, health and hospitality policy work on; a key
account profile keeps the company its figures are in. Reports, the workspace cards and new hospitality
requests default to these instead of ERPNext's default company, which on a multi-company site is often
another one.
"""

from __future__ import annotations

import frappe
from frappe import _

from key_account_management.access.records import accounts_subquery, is_unrestricted


def settings_company() -> str | None:
	return frappe.db.get_single_value("Key Account Settings", "company") or None


def default_company(user: str | None = None) -> str | None:
	"""The settings' company; else the company most of the user's accounts are in; else ERPNext's."""
	company = settings_company()
	if company:
		return company
	user = user or frappe.session.user
	if frappe.get_meta("Key Account Profile").has_field("company"):
		condition = "" if is_unrestricted(user) else f"and kap.name in {accounts_subquery(user)}"
		rows = frappe.db.sql(
			f"""select kap.company from `tabKey Account Profile` kap
			where ifnull(kap.company, '') != '' {condition}
			group by kap.company order by count(*) desc, kap.company limit 1"""
		)
		if rows:
			return rows[0][0]
	return frappe.defaults.get_user_default("Company") or frappe.defaults.get_global_default("company")


def company_currency(company: str | None) -> str | None:
	return frappe.get_cached_value("Company", company, "default_currency") if company else None


def account_company(key_account: str | None) -> str | None:
	"""The company of a key account: its profile's, else the default one."""
	company = None
	if key_account and frappe.get_meta("Key Account Profile").has_field("company"):
		company = frappe.db.get_value("Key Account Profile", key_account, "company")
	return company or default_company()


@frappe.whitelist()
@frappe.read_only()
def get_account_defaults(key_account: str | None = None) -> dict:
	"""Company and currency a new document of ``key_account`` starts with (the request form asks)."""
	if key_account and not (
		frappe.has_permission("Key Account Profile", "read", doc=key_account)
		or frappe.has_permission("Key Account Profile", "select", doc=key_account)
	):
		frappe.throw(_("Not permitted to open Key Account {0}.").format(key_account), frappe.PermissionError)
	company = account_company(key_account)
	return {"company": company, "currency": company_currency(company)}


def boot_session(bootinfo) -> None:
	"""The desk's report filters and forms default to the key-account company (frappe.boot.kam)."""
	if frappe.session.user == "Guest":
		return
	company = default_company()
	bootinfo.kam = {"company": company, "currency": company_currency(company)}
