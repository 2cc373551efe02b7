"""A demo company's worth of key-account data, built through real ERPNext documents.

    bench --site <site> execute key_account_management.demo.make_demo
    bench --site <site> execute key_account_management.demo.remove_demo

Idempotent: what exists is kept, what is missing is made. Removal deletes the demo company's
transactions and every record the demo made, and nothing else.
"""

from __future__ import annotations

import frappe
from frappe.utils import getdate, today

import key_account_management.demo.records as r
from key_account_management.access.roles import SYSTEM_MANAGER
from key_account_management.demo.accounts import (
	make_buying_centers,
	make_hospitality,
	make_opportunities,
	make_profiles,
	make_slipping_accounts,
	make_visits,
)
from key_account_management.demo.commercial import make_commercial
from key_account_management.demo.data import ABBR, COMPANY, CURRENCY, CUSTOMERS, customer_name
from key_account_management.demo.groups import make_group
from key_account_management.demo.ledger import make_items, make_sales
from key_account_management.demo.people import demo_logins, make_users
from key_account_management.demo.plans import make_plans
from key_account_management.demo.whitespace import make_whitespace


def make_demo() -> dict:
	frappe.only_for(SYSTEM_MANAGER)
	frappe.flags.mute_emails = True
	# a fresh site: ERPNext's setup wizard, run here with the demo company (CNY, China)
	r.ensure_erpnext_setup(COMPANY, ABBR, CURRENCY, "China", "Asia/Shanghai")
	this_year = getdate(today()).year
	r.ensure_fiscal_years(this_year - 2, this_year + 1)
	r.ensure_company(COMPANY, ABBR, CURRENCY)
	# before the profiles: they take the settings' company (and its currency)
	use_demo_company_in_settings()
	users = make_users()
	make_items()
	customers = [r.ensure_customer(customer_name(i)) for i in range(len(CUSTOMERS))]
	invoices = make_sales(customers)
	profiles = make_profiles(customers, users)
	make_group()  # a group account with three members (docs/DOMAIN.md §13)
	invoices += make_slipping_accounts(users)
	make_buying_centers(profiles)
	visits = make_visits(profiles)
	requests = make_hospitality(profiles)
	opportunities = make_opportunities(profiles)
	# whitespace: the first account shows Bought, In pipeline, Lost and White (docs/DOMAIN.md §11)
	invoices += make_whitespace(profiles[0]) if profiles else 0
	# commercial position: a credit limit, a payment and an open sales order (docs/DOMAIN.md §12)
	commercial = make_commercial(profiles[0]) if profiles else 0
	frappe.db.commit()

	from key_account_management.classification.reclassify import reclassify
	from key_account_management.relationship.job import evaluate_all_profiles
	from key_account_management.relationship.profile import confirm_suggested_stage

	summary = reclassify(company=COMPANY)
	evaluate_all_profiles()
	# what the nightly visit job does: next visit due dates by the classes just computed
	from key_account_management.visits.jobs import notify_overdue_visits

	notify_overdue_visits()
	for profile in profiles:
		# the account managers confirm the stage their share of wallet suggests
		if frappe.db.get_value("Key Account Profile", profile, "suggested_stage"):
			confirm_suggested_stage(profile)
	frappe.db.commit()
	# after the rollups, coverage and health above: the plans' actuals come from them
	plans = make_plans(profiles)
	logins = demo_logins()
	for login in logins:
		print(f"{login['user']:<28} {login['password']:<14} {', '.join(login['roles'])}")
	return {
		"logins": logins,
		"customers": len(customers),
		"invoices": invoices,
		"profiles": len(profiles),
		"visits": visits,
		"hospitality_requests": requests,
		"opportunities": opportunities,
		"plans": plans,
		"commercial_documents": commercial,
		**summary,
	}


def use_demo_company_in_settings() -> None:
	"""The demo is for a demo site: the settings (and so the daily jobs) work on the demo company, and
	every A customer gets a profile, so that "A Accounts" and the ABC Analysis count the same."""
	frappe.db.set_single_value("Key Account Settings", "company", COMPANY)
	frappe.db.set_single_value("Key Account Settings", "company_currency", CURRENCY)
	frappe.db.set_single_value("Key Account Settings", "auto_create_profiles", 1)
	if not (
		frappe.db.get_single_value("Key Account Settings", "account_budget_amount")
		or frappe.db.get_single_value("Key Account Settings", "account_budget_percent")
	):
		# a yearly hospitality budget per account, so the workspace shows spend against budget
		frappe.db.set_single_value("Key Account Settings", "account_budget_amount", 20000)
