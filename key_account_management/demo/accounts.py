"""The demo's key accounts: profiles, buying centers, visits, hospitality requests through the shipped
workflow and opportunities at every funnel stage."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, add_months, add_to_date, get_first_day, getdate, now_datetime, today

import key_account_management.demo.records as r
from key_account_management.demo.data import (
	APPROVER,
	COMPANY,
	CURRENCY,
	DIRECTOR,
	MANAGERS,
	PREFIX,
	SERVICE,
	SLIPPING,
	WAREHOUSE,
)


def make_slipping_accounts(users: dict) -> int:
	"""Two key accounts that bought commissioning every month until a few months ago (SLIPPING)."""
	managers = list(users)
	count = 0
	for index, (name, months_quiet) in enumerate(SLIPPING.items()):
		customer = r.ensure_customer(f"{PREFIX}{name}")
		if not frappe.db.exists("Sales Invoice", {"customer": customer, "docstatus": 1}):
			for month in range(13, months_quiet - 1, -1):
				posting_date = add_days(get_first_day(add_months(today(), -month)), 6 + index)
				r.invoice(COMPANY, customer, WAREHOUSE, [(SERVICE, 2, 6800)], posting_date, CURRENCY, 0)
				count += 1
		ensure_profile(
			customer,
			managers,
			index,
			ka_kind="End User",
			influence_rating=0.6,
			volume_rating=0.6,
			growth_rating=0.4,
			estimated_category_spend=400_000,
		)
	return count


def ensure_profile(customer: str, managers: list[str], index: int, shared: bool = False, **fields) -> None:
	"""The customer's profile in the demo company, managed by the managers in turn (by ``index``), if it
	has none yet. Each manager sees only their own accounts and the ``shared`` one, whose team holds the
	other manager (docs/DOMAIN.md §1): the demo shows a manager kept out of a colleague's accounts."""
	team = [{"user": managers[(index + 1) % 2], "team_role": "Pre-sales / Technical"}] if shared else []
	if frappe.db.exists("Key Account Profile", customer):
		keep_demo_team(customer, team)
		return
	frappe.get_doc(
		{
			"doctype": "Key Account Profile",
			"customer": customer,
			"company": COMPANY,
			"account_manager": managers[index % 2],
			"spend_estimate_as_of": today(),
			"account_team": team,
			**fields,
		}
	).insert(ignore_permissions=True)


def keep_demo_team(profile: str, team: list[dict]) -> None:
	"""A demo profile made before the accounts were split: its team as the demo has it now."""
	doc = frappe.get_doc("Key Account Profile", profile)
	if sorted(row.user for row in doc.account_team) == sorted(row["user"] for row in team):
		return
	doc.set("account_team", team)
	doc.save(ignore_permissions=True)


# the one account both managers work on: Zhao Hui manages it, Li Ming is on its team
SHARED = 1


def make_profiles(customers: list[str], users: dict) -> list[str]:
	managers = list(users)
	for index, customer in enumerate(customers[:12]):
		ensure_profile(
			customer,
			managers,
			index,
			shared=index == SHARED,
			ka_kind="End User" if index % 3 else "Distribution",
			influence_rating=(5 - index % 3) / 5,
			volume_rating=(5 - index % 4) / 5,
			growth_rating=(3 + index % 3) / 5,
			estimated_category_spend=2_500_000 if index < 5 else 600_000,
			competitors="Siemens, Inovance" if index % 2 else "Schneider, Delta",
		)
	return customers[:12]


PEOPLE = [  # name, title, role, influence, attitude, reports_to index, insider
	("Wang Wei", "General Manager", "Decision Maker", 5, "Supporter", None, 0),
	("Li Na", "Chief Engineer", "Technical Gatekeeper", 4, "Champion", 0, 0),
	("Zhang Min", "Finance Director", "Financial Gatekeeper", 4, "Skeptic", 0, 0),
	("Liu Yang", "Purchasing Manager", "Purchaser", 3, "Neutral", 2, 0),
	("Chen Jing", "Workshop Head", "User", 2, "Supporter", 1, 1),
	("Zhao Lei", "Assistant to the GM", "Influencer", 2, "Champion", 0, 0),
]


def make_buying_centers(profiles: list[str]) -> None:
	for account in profiles[:4]:
		if frappe.db.exists("Buying Center Role", {"key_account": account}):
			continue
		names = []
		for person, title, role, influence, attitude, reports_to, insider in PEOPLE:
			contact = frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": person,
					"designation": title,
					"company_name": account,
					"links": [{"link_doctype": "Customer", "link_name": account}],
				}
			).insert(ignore_permissions=True)
			names.append(
				frappe.get_doc(
					{
						"doctype": "Buying Center Role",
						"key_account": account,
						"contact": contact.name,
						"buying_role": role,
						"influence": influence,
						"attitude": attitude,
						"relationship_strength": 3,
						"is_insider": insider,
						"reports_to": names[reports_to] if reports_to is not None else None,
						"collective_decision": 1 if role == "Decision Maker" else 0,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)


def make_visits(profiles: list[str]) -> int:
	made = 0
	for index, account in enumerate(profiles):
		if frappe.db.exists("Visit Record", {"key_account": account}):
			continue
		manager = frappe.db.get_value("Key Account Profile", account, "account_manager")
		contacts = frappe.get_all(
			"Buying Center Role", filters={"key_account": account}, pluck="contact", limit=2
		)
		for days_ago, method in ((75 - index * 4, "On Site"), (20 + index, "Video")):
			start = add_to_date(now_datetime(), days=-days_ago, hours=-2)
			visit = frappe.get_doc(
				{
					"doctype": "Visit Record",
					"key_account": account,
					"visit_method": method,
					"planned_start": start,
					"actual_start": start,
					"actual_end": add_to_date(start, hours=1.5),
					"objective": "Quarterly business review and the 2027 supply plan",
					"our_attendees": [{"user": manager}],
					"customer_attendees": [{"contact": c} for c in contacts],
					"talking_points": "Delivery performance; new motion-control line; framework agreement",
					"customer_views": "Satisfied with delivery, asks for better payment terms",
					"next_steps": "Send the technical proposal; invite the chief engineer to our plant",
					"owner": manager,
				}
			).insert(ignore_permissions=True)
			visit.submit()
			if index % 3:
				visit.follow_up_date = min(add_days(visit.visit_date, 3 + index), getdate(today()))
				visit.follow_up_method = "Phone"
				visit.follow_up_notes = "Positive; wants the proposal by the end of the month"
				visit.save(ignore_permissions=True)
			made += 1
		start = add_to_date(now_datetime(), days=7 + index)
		frappe.get_doc(
			{
				"doctype": "Visit Record",
				"key_account": account,
				"visit_method": "On Site",
				"planned_start": start,
				"objective": "Present the technical proposal",
				"our_attendees": [{"user": manager}],
			}
		).insert(ignore_permissions=True)
		made += 1
	return made


def make_hospitality(profiles: list[str]) -> int:
	"""Requests through the shipped workflow, each by the right person: settled, approved, pending."""
	from frappe.model.workflow import apply_workflow

	from key_account_management.access.hierarchy import requester_superiors
	from key_account_management.core import hospitality_flow as flow
	from key_account_management.hospitality.workflow import setup_workflow

	if frappe.db.exists("Hospitality Request", {"customer": ("in", profiles)}):
		return 0
	setup_workflow()
	official = frappe.get_all(
		"Buying Center Role",
		filters={"key_account": profiles[0], "buying_role": "Decision Maker"},
		pluck="contact",
	)
	if official:
		frappe.db.set_value("Contact", official[0], "kam_is_official", 1)
	plans = [  # account, type, amount, how far it goes
		(profiles[0], "Meal", 800, "Settled"),
		(profiles[1], "Reception/Site Visit", 3200, "Approved"),
		(profiles[0], "Gift", 300, "Pending Director"),
		(profiles[2], "Entertainment", 1500, "Pending Manager"),
		(profiles[2], "Meal", 600, "Draft"),
	]
	made = 0
	# Li Ming raises the requests (manager or on the team of each of these accounts), so the Manager
	# level is Li's superior and the Director level the director: three different people
	requester = next(iter(MANAGERS))
	for account, request_type, amount, goal in plans:
		contacts = frappe.get_all(
			"Buying Center Role", filters={"key_account": account}, pluck="contact", limit=2
		)
		if not contacts:
			continue
		recipients = (official if request_type == "Gift" and official else contacts)[:2]
		frappe.set_user(requester)
		doc = frappe.get_doc(
			{
				"doctype": "Hospitality Request",
				"key_account": account,
				"company": COMPANY,
				"request_type": request_type,
				"currency": CURRENCY,
				"conversion_rate": 1,
				"planned_date": today(),
				"business_purpose": "Quarterly business review with the customer's management team",
				"estimated_amount": amount,
				"recipients": [{"contact": c, "amount": amount / len(recipients)} for c in recipients],
				"participants": [{"user": requester}],
			}
		).insert()
		made += 1
		approvers = {
			"Pending Manager": requester_superiors(requester)[0],
			"Pending Director": DIRECTOR[0],
			"Pending Finance": APPROVER[0],
		}
		if goal != "Draft":
			apply_workflow(doc.as_dict(), flow.ACTION_SUBMIT)
		while goal not in ("Draft", frappe.db.get_value("Hospitality Request", doc.name, "workflow_state")):
			state = frappe.db.get_value("Hospitality Request", doc.name, "workflow_state")
			if state == "Approved" and goal == "Settled":
				frappe.set_user("Administrator")
				receipt = frappe.get_doc(
					{
						"doctype": "File",
						"file_name": f"receipt-{doc.name}.txt",
						"content": "restaurant receipt",
						"attached_to_doctype": "Hospitality Request",
						"attached_to_name": doc.name,
						"is_private": 1,
					}
				).insert(ignore_permissions=True)
				frappe.set_user(requester)
				settle = frappe.get_doc("Hospitality Request", doc.name)
				settle.actual_amount = amount * 0.95
				settle.receipt = receipt.file_url
				settle.save()
				apply_workflow(frappe.get_doc("Hospitality Request", doc.name).as_dict(), flow.ACTION_SETTLE)
				continue
			if state not in approvers:
				break
			frappe.set_user(approvers[state])
			apply_workflow(frappe.get_doc("Hospitality Request", doc.name).as_dict(), flow.ACTION_APPROVE)
	frappe.set_user("Administrator")
	return made


def make_opportunities(profiles: list[str]) -> int:
	"""Three opportunities per key account over the last year, made by its account manager, at every
	stage of the funnel: some won, some lost, the rest open, so the funnel and the forecast show data."""
	if frappe.db.exists("Opportunity", {"party_name": ("in", profiles), "company": COMPANY}):
		return 0  # made before: keep them as they are
	from key_account_management.funnel.config import get_stages

	stages = [stage.name for stage in get_stages()]
	if not stages:
		return 0
	count = 0
	for index, account in enumerate(profiles):
		manager = frappe.db.get_value("Key Account Profile", account, "account_manager")
		for k in range(3):
			reached = (index + 2 * k) % len(stages)
			won = k == 0 and index % 3 == 0
			lost = k == 2 and index % 4 == 1
			frappe.set_user(manager or "Administrator")
			try:
				opportunity = frappe.get_doc(
					{
						"doctype": "Opportunity",
						"opportunity_from": "Customer",
						"party_name": account,
						"company": COMPANY,
						"currency": CURRENCY,
						"transaction_date": add_days(add_months(today(), -(1 + (index + 4 * k) % 11)), index),
						"opportunity_amount": 80_000 * (1 + (index + k) % 5) * (3 if index < 5 else 1),
						"probability": 20 + 15 * reached,
						"expected_closing": add_days(today(), 20 + 25 * k + 3 * index),
					}
				).insert()
				if won:
					reached = len(stages) - 1
				if reached:
					for row in opportunity.kam_milestones:
						if row.sales_stage in stages[:reached]:
							row.done = 1
					opportunity.sales_stage = stages[reached]
					opportunity.save()
				if won or lost:
					opportunity.status = "Converted" if won else "Lost"
					opportunity.save()
			finally:
				frappe.set_user("Administrator")
			count += 1
	return count
