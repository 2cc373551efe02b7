"""The hospitality policy read from Key Account Settings, and what a request does to its limits
(docs/DOMAIN.md §6, policy and limits).

The rules are in ``core.hospitality``; here the settings become a :class:`Policy`, the year-to-date spend
comes from real approved and settled requests and the account budget from the account's real gross
profit (its monthly rollups, docs/DOMAIN.md §8).
"""

from __future__ import annotations

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, today

from key_account_management.access.roles import KEY_ACCOUNT_DIRECTOR
from key_account_management.core import hospitality as core
from key_account_management.core.hospitality_flow import COMMITTED_STATES, SETTLED, requester_line
from key_account_management.messages import translate
from key_account_management.settings import positive_or_none

# the amount a request commits, in company currency: the actual amount once settled, else what was approved
COMMITTED_SQL = (
	f"hr.conversion_rate * (case when hr.workflow_state = '{SETTLED}' "
	"then hr.actual_amount else hr.approved_amount end)"
)


def get_custom_fields() -> dict[str, list[dict]]:
	"""Custom fields this feature needs on ERPNext/Frappe doctypes (merged into install.py by the lead)."""
	return {
		"Contact": [
			{
				"fieldname": "kam_is_official",
				"label": "Government / State-Enterprise Official",
				"fieldtype": "Check",
				"insert_after": "designation",
				"default": "0",
				"in_standard_filter": 1,
				"description": "Hospitality and gifts for this person always need Director and Finance approval.",
			}
		]
	}


# ---------------------------------------------------------------------------------------------------------
# Policy from the settings


@dataclass(frozen=True)
class Policy:
	bands: tuple[core.ApprovalBand, ...]
	per_event: dict[str, float]
	per_year: float | None
	budget_amount: float | None
	budget_percent: float | None
	tolerance_percent: float
	receipt_required_above: float | None
	period_months: int


def get_policy() -> Policy:
	"""The policy of Key Account Settings: approval bands (the defaults when the table is empty), limits,
	budget, re-approval tolerance and receipts; invalid bands are refused with the problems named."""
	settings = frappe.get_cached_doc("Key Account Settings")
	bands = tuple(
		core.ApprovalBand(
			positive_or_none(row.up_to_amount),
			tuple(
				level
				for level, fieldname in (
					("Manager", "manager"),
					("Director", "director"),
					("Finance", "finance"),
				)
				if cint(row.get(fieldname))
			),
		)
		for row in sorted(settings.get("approval_bands") or [], key=lambda row: row.idx)
	) or tuple(core.DEFAULT_BANDS)
	problems = core.validate_bands(bands)
	if problems:
		frappe.throw(
			_(
				"The approval levels by amount in Key Account Settings cannot decide this request: {0}. Fix the table in Key Account Settings."
			).format("; ".join(translate(problem) for problem in problems)),
			title=_("Invalid Approval Bands"),
		)
	per_event: dict[str, float] = {}
	for row in settings.get("event_limits") or []:
		if row.request_type:
			amount = flt(row.per_recipient_amount)
			per_event[row.request_type] = min(amount, per_event.get(row.request_type, amount))
	return Policy(
		bands=bands,
		per_event=per_event,
		per_year=positive_or_none(settings.per_recipient_per_year),
		budget_amount=positive_or_none(settings.account_budget_amount),
		budget_percent=positive_or_none(settings.account_budget_percent),
		tolerance_percent=max(flt(settings.reapproval_tolerance_percent), 0.0),
		# 0 means a receipt is always required, as in core.validate_settlement
		receipt_required_above=max(flt(settings.receipt_required_above), 0.0),
		period_months=cint(settings.period_months) or 12,
	)


# ---------------------------------------------------------------------------------------------------------
# Limits from real data


def get_year_to_date(
	contacts: list[str], key_account: str | None, year: int, exclude: str | None = None
) -> tuple[dict[str, float], float]:
	"""What was committed in ``year`` (approved and settled requests, planned in that calendar year, in
	company currency) per recipient contact and for the key account, ``exclude`` left out; one query.

	A recipient's share of a request is their row amount scaled to what the request commits, so a settled
	request counts with its actual amount."""
	params = {
		"contacts": tuple(contacts) or ("",),
		"key_account": key_account or "",
		"states": COMMITTED_STATES,
		"from_date": f"{int(year)}-01-01",
		"to_date": f"{int(year)}-12-31",
		"exclude": exclude or "",
	}
	rows = frappe.db.sql(
		f"""
		select 'recipient' as scope, r.contact as name,
			sum(r.amount / hr.estimated_amount * {COMMITTED_SQL}) as spent
		from `tabHospitality Recipient` r
		join `tabHospitality Request` hr on hr.name = r.parent
		where r.parenttype = 'Hospitality Request' and r.parentfield = 'recipients'
			and r.contact in %(contacts)s
			and hr.workflow_state in %(states)s
			and hr.planned_date between %(from_date)s and %(to_date)s
			and hr.name != %(exclude)s
			and hr.estimated_amount > 0
		group by r.contact
		union all
		select 'account' as scope, hr.key_account as name, sum({COMMITTED_SQL}) as spent
		from `tabHospitality Request` hr
		where hr.key_account = %(key_account)s
			and hr.workflow_state in %(states)s
			and hr.planned_date between %(from_date)s and %(to_date)s
			and hr.name != %(exclude)s
		group by hr.key_account
		""",
		params,
		as_dict=True,
	)
	recipients = {row.name: flt(row.spent) for row in rows if row.scope == "recipient"}
	account = sum(flt(row.spent) for row in rows if row.scope == "account")
	return recipients, account


def get_trailing_gross_profit(customer: str | None, company: str, as_of=None, months: int = 12) -> float:
	"""The customer's gross profit over the last ``months`` calendar months (the ABC classification's
	basis), summed from its monthly rollups."""
	from key_account_management.classification.rollup_read import basis_values
	from key_account_management.core.periods import calendar_months

	if not customer or not company:
		return 0.0
	from_date, to_date = calendar_months(getdate(as_of or today()), months)
	return flt(basis_values("Gross Profit", company, from_date, to_date, [customer]).get(customer))


def get_account_budget(
	customer: str | None, company: str, policy: Policy
) -> tuple[float | None, float | None]:
	"""(yearly budget or None, trailing gross profit when the budget depends on it)."""
	gross_profit = None
	if policy.budget_amount is None and policy.budget_percent is not None:
		gross_profit = get_trailing_gross_profit(customer, company, months=policy.period_months)
	return core.account_budget(policy.budget_amount, policy.budget_percent, gross_profit), gross_profit


def get_account_budgets(accounts, policy: Policy) -> dict[tuple, float | None]:
	"""The yearly budget of each (customer, company) in ``accounts``, as :func:`get_account_budget`
	gives it; a budget that follows the gross profit sums the accounts' monthly rollups, once per
	company for all its accounts."""
	from key_account_management.classification.rollup_read import basis_values
	from key_account_management.core.periods import calendar_months

	by_percent = policy.budget_amount is None and policy.budget_percent is not None
	profits: dict[str, dict] = {}
	budgets = {}
	if by_percent:
		from_date, to_date = calendar_months(getdate(today()), policy.period_months)
		for company in {company for customer, company in accounts if customer and company}:
			customers = [customer for customer, c in accounts if c == company and customer]
			profits[company] = basis_values("Gross Profit", company, from_date, to_date, customers)
	for customer, company in accounts:
		gross_profit = None
		if by_percent:
			gross_profit = 0.0
			if customer and company:
				gross_profit = flt(profits[company].get(customer))
		budgets[(customer, company)] = core.account_budget(
			policy.budget_amount, policy.budget_percent, gross_profit
		)
	return budgets


def official_contacts(contacts: list[str]) -> set[str]:
	if not contacts or not frappe.db.has_column("Contact", "kam_is_official"):
		return set()
	return set(
		frappe.get_all(
			"Contact", filters={"name": ("in", contacts), "kam_is_official": 1}, pluck="name", order_by="name"
		)
	)


def evaluate(doc, amount: float | None = None, policy: Policy | None = None) -> frappe._dict:
	"""What the request does to each limit and which levels must approve it.

	``route`` is the levels that sign, from the requester up (core.hospitality_flow.requester_line:
	a director's Manager level is ``skipped``); ``policy_route`` the levels the amount, officials and
	limits require. ``amount`` (request currency) replaces the estimate, e.g. the actual amount at
	settlement; recipient shares are scaled to it."""
	policy = policy or get_policy()
	rate = flt(doc.conversion_rate) or 1.0
	estimate = flt(doc.estimated_amount)
	scale = flt(amount) / estimate if amount is not None and estimate else 1.0
	total = (flt(amount) if amount is not None else estimate) * rate
	rows = [row for row in doc.get("recipients") or [] if row.contact]
	recipients = [(row.contact, flt(row.amount) * rate * scale) for row in rows]
	contacts = sorted({row.contact for row in rows})
	year = getdate(doc.planned_date or today()).year
	recipient_ytd, account_ytd = get_year_to_date(contacts, doc.key_account, year, exclude=doc.name)
	budget, gross_profit = get_account_budget(doc.customer, doc.company, policy)
	limits = core.Limits(policy.per_event, policy.per_year, budget)
	checks = core.check_limits(
		doc.request_type, recipients, recipient_ytd, account_ytd, limits, request_total=total
	)
	officials = official_contacts(contacts)
	breaks = core.breaks_any(checks)
	policy_route = core.required_levels(total, policy.bands, bool(officials), breaks)
	requester = doc.get("requested_by") or frappe.session.user
	route, skipped = requester_line(policy_route, KEY_ACCOUNT_DIRECTOR in frappe.get_roles(requester))
	return frappe._dict(
		checks=checks,
		breaks_limit=breaks,
		officials=officials,
		any_official=bool(officials),
		route=route,
		skipped=skipped,
		policy_route=policy_route,
		budget=budget,
		gross_profit=gross_profit,
		total=total,
		year=year,
	)


def limit_check_rows(checks: list[core.LimitCheck], contact_names: dict[str, str]) -> list[dict]:
	return [
		{
			"limit_type": _(check.limit),
			"scope": _("Account", context="Key Account")
			if check.scope == core.ACCOUNT_SCOPE
			else contact_names.get(check.scope, check.scope),
			"contact": None if check.scope == core.ACCOUNT_SCOPE else check.scope,
			"limit_amount": check.limit_amount,
			"year_to_date": check.year_to_date,
			"this_request": check.this_request,
			"after_request": check.after,
			"remaining": check.remaining,
			"exceeded": int(check.exceeded),
		}
		for check in checks
	]


def default_company() -> str | None:
	"""The settings' company, else ERPNext's default one."""
	company = frappe.db.get_single_value("Key Account Settings", "company")
	return company or frappe.defaults.get_global_default("company")
