# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

"""Hospitality spend per key account against the account's gross profit, broken down by month, request
type and recipient, official recipients highlighted (docs/DOMAIN.md §6).

Spend is what approved and settled requests commit, in company currency: the actual amount once settled,
else the approved amount. A recipient's spend is their share of the request scaled to that amount. Gross
profit is the ABC basis (ERPNext's Gross Profit rules) over the same period.
"""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from key_account_management.access.records import HOSPITALITY_READERS, is_unrestricted, user_accounts
from key_account_management.classification.basis import Scope, gross_profit
from key_account_management.core.hospitality_flow import COMMITTED_STATES
from key_account_management.hospitality.policy import COMMITTED_SQL, default_company
from key_account_management.reports import column

REQUEST_TYPES = ("Meal", "Entertainment", "Gift", "Travel/Hosting", "Reception/Site Visit")


def execute(filters=None):
	return HospitalitySpend(filters).run()


class HospitalitySpend:
	def __init__(self, filters=None):
		self.filters = frappe._dict(filters or {})
		self.company = self.filters.company or default_company()
		if not self.filters.from_date or not self.filters.to_date:
			frappe.throw(_("Set the period: From Date and To Date."))
		self.from_date, self.to_date = getdate(self.filters.from_date), getdate(self.filters.to_date)
		if self.from_date > self.to_date:
			frappe.throw(
				_("From Date {0} is after To Date {1}; swap them.").format(
					frappe.format(self.from_date, {"fieldtype": "Date"}),
					frappe.format(self.to_date, {"fieldtype": "Date"}),
				)
			)
		if self.filters.abc_class and self.filters.abc_class not in ("A", "B", "C"):
			frappe.throw(_("Class must be A, B or C."))
		if self.filters.request_type and self.filters.request_type not in REQUEST_TYPES:
			frappe.throw(_("Unknown request type {0}.").format(self.filters.request_type))
		self.currency = (
			frappe.get_cached_value("Company", self.company, "default_currency") if self.company else None
		)

	def run(self):
		if not self.company:
			return self.get_columns(), [], None, None, None
		accounts = self.get_accounts()
		details = self.get_details()
		# the ledger of the listed accounts only, for the exact dates of the filter
		customers = tuple(sorted({a.customer for a in accounts if a.customer}))
		profits = (
			gross_profit(Scope(self.company, self.from_date, self.to_date, customers=customers))
			if customers
			else {}
		)
		data = self.build_rows(accounts, details, profits)
		return (
			self.get_columns(),
			data,
			None,
			self.get_chart(details),
			self.get_summary(accounts, profits),
		)

	# queries ---------------------------------------------------------------------------------------------

	def conditions(self) -> tuple[str, dict]:
		conditions = [
			"hr.company = %(company)s",
			"hr.workflow_state in %(states)s",
			"hr.planned_date between %(from_date)s and %(to_date)s",
		]
		params = {
			"company": self.company,
			"states": COMMITTED_STATES,
			"from_date": self.from_date,
			"to_date": self.to_date,
		}
		for fieldname, sql_column in (
			("account_manager", "kap.account_manager"),
			("abc_class", "kap.abc_class"),
			("key_account", "hr.key_account"),
			("request_type", "hr.request_type"),
		):
			if self.filters.get(fieldname):
				conditions.append(f"{sql_column} = %({fieldname})s")
				params[fieldname] = self.filters.get(fieldname)
		# raw SQL skips permission_query_conditions: apply the same row-level rule here
		user = frappe.session.user
		if not is_unrestricted(user, HOSPITALITY_READERS):
			conditions.append("hr.key_account in %(visible_accounts)s")
			params["visible_accounts"] = tuple(user_accounts(user)) or ("",)
		return " and ".join(conditions), params

	def get_accounts(self) -> list[frappe._dict]:
		where, params = self.conditions()
		return frappe.db.sql(
			f"""
			select hr.key_account, kap.customer, kap.customer_name, kap.account_manager, kap.abc_class,
				count(*) as requests, sum({COMMITTED_SQL}) as spend
			from `tabHospitality Request` hr
			join `tabKey Account Profile` kap on kap.name = hr.key_account
			where {where}
			group by hr.key_account, kap.customer, kap.customer_name, kap.account_manager, kap.abc_class
			order by spend desc, hr.key_account
			""",
			params,
			as_dict=True,
		)

	def get_details(self) -> list[frappe._dict]:
		where, params = self.conditions()
		return frappe.db.sql(
			f"""
			select hr.key_account, date_format(hr.planned_date, '%%Y-%%m') as month, hr.request_type,
				r.contact, max(r.contact_name) as contact_name, max(r.is_official) as is_official,
				count(distinct hr.name) as requests,
				sum(r.amount / hr.estimated_amount * {COMMITTED_SQL}) as spend
			from `tabHospitality Request` hr
			join `tabKey Account Profile` kap on kap.name = hr.key_account
			join `tabHospitality Recipient` r
				on r.parent = hr.name and r.parenttype = 'Hospitality Request' and r.parentfield = 'recipients'
			where {where} and hr.estimated_amount > 0
			group by hr.key_account, month, hr.request_type, r.contact
			order by hr.key_account, month, hr.request_type, spend desc
			""",
			params,
			as_dict=True,
		)

	# rows ------------------------------------------------------------------------------------------------

	def build_rows(self, accounts, details, gross_profit) -> list[dict]:
		by_account: dict[str, list] = {}
		for row in details:
			by_account.setdefault(row.key_account, []).append(row)
		data = []
		for account in accounts:
			gp = flt(gross_profit.get(account.customer))
			children = by_account.get(account.key_account, [])
			data.append(
				{
					"row_id": account.key_account,
					"parent_row": None,
					"indent": 0,
					"key_account": account.key_account,
					"customer_name": account.customer_name,
					"account_manager": account.account_manager,
					"abc_class": account.abc_class,
					"requests": account.requests,
					"spend": flt(account.spend),
					"official_spend": sum(flt(c.spend) for c in children if c.is_official),
					"gross_profit": gp,
					"spend_percent_of_gp": percent_of(account.spend, gp),
					"is_official": 0,
					"currency": self.currency,
				}
			)
			for child in children:
				data.append(
					{
						"row_id": f"{account.key_account}|{child.month}|{child.request_type}|{child.contact}",
						"parent_row": account.key_account,
						"indent": 1,
						"key_account": account.key_account,
						"month": child.month,
						"request_type": child.request_type,
						"contact": child.contact,
						"contact_name": child.contact_name,
						"is_official": int(child.is_official or 0),
						"requests": child.requests,
						"spend": flt(child.spend),
						"official_spend": flt(child.spend) if child.is_official else 0.0,
						"spend_percent_of_gp": percent_of(child.spend, gp),
						"currency": self.currency,
					}
				)
		return data

	def get_columns(self):
		currency = (
			{"fieldtype": "Currency", "options": "currency"} if self.currency else {"fieldtype": "Float"}
		)
		return [
			column("key_account", _("Key Account"), "Link", 180, options="Key Account Profile"),
			column("customer_name", _("Customer Name"), width=160),
			column("month", _("Month"), width=90),
			column("request_type", _("Request Type"), width=130),
			column("contact", _("Recipient", context="Hospitality"), "Link", 150, options="Contact"),
			column("contact_name", _("Recipient Name"), width=150),
			column("is_official", _("Official"), "Check", 80),
			column("requests", _("Requests"), "Int", 80),
			column("spend", _("Spend"), **currency),
			column("official_spend", _("Spend on Officials"), width=130, **currency),
			column("gross_profit", _("Account Gross Profit"), width=150, **currency),
			column("spend_percent_of_gp", _("Spend % of Gross Profit"), "Percent", 150),
			column("account_manager", _("Account Manager"), "Link", 160, options="User"),
			column("abc_class", _("Class"), width=60),
			{
				# Data, not a Link: the desk would demand read access to Currency for every row
				"fieldname": "currency",
				"label": _("Currency"),
				"fieldtype": "Data",
				"hidden": 1,
			},
		]

	def get_chart(self, details):
		months = sorted({row.month for row in details})
		if not months:
			return None
		official = {month: 0.0 for month in months}
		other = {month: 0.0 for month in months}
		for row in details:
			(official if row.is_official else other)[row.month] += flt(row.spend)
		return {
			"data": {
				"labels": months,
				"datasets": [
					{"name": _("Other Recipients"), "values": [round(other[m], 2) for m in months]},
					{"name": _("Official Recipients"), "values": [round(official[m], 2) for m in months]},
				],
			},
			"type": "bar",
			"barOptions": {"stacked": 1},
			"colors": ["#5e64ff", "#ff5858"],
			"title": _("Hospitality spend by month"),
		}

	def get_summary(self, accounts, gross_profit):
		spend = sum(flt(a.spend) for a in accounts)
		gp = sum(flt(gross_profit.get(a.customer)) for a in accounts)
		return [
			{"value": spend, "label": _("Spend"), "datatype": "Currency", "currency": self.currency},
			{
				"value": gp,
				"label": _("Gross Profit of These Accounts"),
				"datatype": "Currency",
				"currency": self.currency,
			},
			{
				"value": percent_of(spend, gp),
				"label": _("Spend % of Gross Profit"),
				"datatype": "Percent",
				"indicator": "Red" if gp <= 0 or spend > gp else "Blue",
			},
		]


def percent_of(amount, gross_profit) -> float | None:
	"""Spend as % of gross profit; None when the account made no profit (no meaningful percentage)."""
	gross_profit = flt(gross_profit)
	if gross_profit <= 0:
		return None
	return flt(amount) / gross_profit * 100.0
