"""What the "Account Plan" print format shows beside the plan itself: the review document of the quarter
(docs/DOMAIN.md §10). Called from the print format's Jinja (hooks.py ``jinja``), after Frappe checked
that the user may print the plan; everything it reads belongs to the plan's own account."""

from __future__ import annotations

import frappe
from frappe.utils import add_months, flt, getdate, today

from key_account_management.commercial.position import review_figures
from key_account_management.hospitality.policy import get_account_budget, get_policy, get_year_to_date
from key_account_management.whitespace.cells import account_whitespace

OPEN_OPPORTUNITY = ("Open", "Replied", "Quotation")
ATTITUDE_COLOURS = {
	"Champion": "#29cd42",
	"Supporter": "#7cd6a4",
	"Neutral": "#b8c2cc",
	"Skeptic": "#f5a623",
	"Opponent": "#e24c4c",
}


def kam_plan_review(plan_name: str) -> dict:
	"""The account summary, buying center tree, open pipeline by grade, last quarter's visits and next
	steps, hospitality spend against budget, whitespace (§11) and commercial position (§12) of the plan's
	account."""
	plan = frappe.get_doc("Key Account Plan", plan_name)
	plan.check_permission("print")
	profile = frappe.db.get_value(
		"Key Account Profile",
		plan.key_account,
		[
			"name",
			"customer",
			"customer_name",
			"company",
			"abc_class",
			"relationship_stage",
			"health_score",
			"account_status",
			"share_of_wallet",
			"influence_rating",
			"volume_rating",
			"growth_rating",
		],
		as_dict=True,
	)
	return {
		"profile": profile,
		"buying_center": buying_center_tree(plan.key_account),
		"pipeline": pipeline_by_grade(plan.key_account),
		"visits": last_quarter_visits(plan.key_account),
		"hospitality": hospitality_position(profile),
		"whitespace": account_whitespace(profile),
		"commercial": review_figures(profile),
	}


def buying_center_tree(key_account: str) -> list[dict]:
	"""The account's active roles as a flat list in tree order, each with its depth under whom it
	reports to: the print format indents by depth (no JavaScript in a PDF)."""
	roles = frappe.get_all(
		"Buying Center Role",
		filters={"key_account": key_account, "status": "Active"},
		fields=["name", "contact_name", "designation", "buying_role", "attitude", "influence", "reports_to"],
		order_by="influence desc, contact_name asc",
	)
	names = {role.name for role in roles}
	children: dict[str | None, list] = {}
	for role in roles:
		parent = role.reports_to if role.reports_to in names else None
		children.setdefault(parent, []).append(role)
	ordered: list[dict] = []
	seen: set[str] = set()

	def walk(parent, depth):
		for role in children.get(parent, ()):
			if role.name in seen:
				continue
			seen.add(role.name)
			ordered.append({**role, "depth": depth, "colour": ATTITUDE_COLOURS.get(role.attitude, "#b8c2cc")})
			walk(role.name, depth + 1)

	walk(None, 0)
	return ordered


def pipeline_by_grade(key_account: str) -> list[dict]:
	return frappe.db.sql(
		"""select ifnull(kam_grade, '') as grade, count(*) as opportunities,
			sum(base_opportunity_amount) as amount
		from `tabOpportunity` where kam_key_account = %(account)s and status in %(open)s
		group by ifnull(kam_grade, '') order by grade""",
		{"account": key_account, "open": OPEN_OPPORTUNITY},
		as_dict=True,
	)


def last_quarter_visits(key_account: str) -> list[dict]:
	return frappe.get_all(
		"Visit Record",
		filters={
			"key_account": key_account,
			"docstatus": 1,
			"visit_date": (">=", add_months(getdate(today()), -3)),
		},
		fields=["name", "visit_date", "objective", "next_steps", "status"],
		order_by="visit_date desc",
		limit_page_length=20,
	)


def hospitality_position(profile) -> dict:
	if not profile or not profile.company:
		# a profile without a company has no budget to compare with (the template still reads the keys)
		return {"spent": 0.0, "budget": None, "company": None}
	policy = get_policy()
	budget, _gross_profit = get_account_budget(profile.customer, profile.company, policy)
	_recipients, spent = get_year_to_date([], profile.name, getdate(today()).year)
	return {"spent": flt(spent, 2), "budget": budget, "company": profile.company}
