"""Hospitality and gifts (DOMAIN.md §6): the Frappe side of the approval policy.

The policy itself (approval bands, levels, limits, settlement rules) lives in ``core.hospitality`` and
has no Frappe in it. This module reads the settings into that policy, computes what a request does to the
limits from real approved and settled requests and the account's real gross profit, decides who may act
at which approval level, ships the Workflow and exposes the form's whitelisted methods.
"""

from __future__ import annotations

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, today

from key_account_management.core import hospitality as core
from key_account_management.access.hierarchy import (  # noqa: F401 (moved; callers move to access)
	account_team,
	account_teams,
	requester_superiors,
	subordinate_users,
)
from key_account_management.messages import translate

DOCTYPE = "Hospitality Request"
WORKFLOW_NAME = "Hospitality Request Approval"

DRAFT, APPROVED, REJECTED, SETTLED = "Draft", "Approved", "Rejected", "Settled"
PENDING = {level: f"Pending {level}" for level in core.LEVELS}
LEVEL_OF_STATE = {state: level for level, state in PENDING.items()}
COMMITTED_STATES = (APPROVED, SETTLED)  # what counts as spent in the limits and the report

ROLE_MANAGER = "Key Account Manager"
ROLE_DIRECTOR = "Key Account Director"
ROLE_FINANCE = "Hospitality Approver"
LEVEL_ROLES = {
	"Manager": (ROLE_MANAGER, ROLE_DIRECTOR),
	"Director": (ROLE_DIRECTOR,),
	"Finance": (ROLE_FINANCE,),
}

ACTION_SUBMIT = "Submit for Approval"
ACTION_APPROVE = "Approve"
ACTION_REJECT = "Reject"
ACTION_SEND_BACK = "Send Back"
ACTION_SETTLE = "Settle"

# trail actions (Hospitality Approval.action)
TRAIL_SUBMITTED = "Submitted"
TRAIL_APPROVED = "Approved"
TRAIL_REJECTED = "Rejected"
TRAIL_SENT_BACK = "Sent Back"
TRAIL_REAPPROVAL = "Sent for Re-approval"
TRAIL_SETTLED = "Settled"


class HospitalityApprovalError(frappe.ValidationError):
	"""An approval step the policy refuses: self-approval, a skipped level, a missing role or reason."""


# the amount a request commits, in company currency: the actual amount once settled, else what was approved
COMMITTED_SQL = (
	"hr.conversion_rate * (case when hr.workflow_state = 'Settled' "
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


def _positive_or_none(value) -> float | None:
	# Currency fields store 0 when left empty: 0 means "no limit"
	return flt(value) if flt(value) > 0 else None


def get_policy() -> Policy:
	settings = frappe.get_cached_doc("Key Account Settings")
	bands = tuple(
		core.ApprovalBand(
			_positive_or_none(row.up_to_amount),
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
		per_year=_positive_or_none(settings.per_recipient_per_year),
		budget_amount=_positive_or_none(settings.account_budget_amount),
		budget_percent=_positive_or_none(settings.account_budget_percent),
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
	from key_account_management.classification.rollup import basis_values
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
	from key_account_management.classification.rollup import basis_values
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

	``amount`` (request currency) replaces the estimate, e.g. the actual amount at settlement; recipient
	shares are scaled to it."""
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
	route = core.required_levels(total, policy.bands, bool(officials), breaks)
	return frappe._dict(
		checks=checks,
		breaks_limit=breaks,
		officials=officials,
		any_official=bool(officials),
		route=route,
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


# ---------------------------------------------------------------------------------------------------------
# Who may act


def same_user(a: str | None, b: str | None) -> bool:
	return core.same_user(a, b)


def can_act_at_level(
	user: str, level: str, requester: str | None, superiors: list[str] | None = None
) -> tuple[bool, str]:
	"""Whether ``user`` may act at ``level`` on a request of ``requester``: for Manager, the requester's
	superior (:func:`requester_superiors`, passed as ``superiors`` when the caller has read it) holding
	the Key Account Manager or Director role, or a Key Account Director when the requester is not one (a
	colleague on the account's team never is: see core.can_approve_manager_level); a Director for
	Director; a Hospitality Approver for Finance."""
	roles = set(frappe.get_roles(user))
	if level == "Manager":
		if roles & {ROLE_MANAGER, ROLE_DIRECTOR}:
			allowed, _reason = core.can_approve_manager_level(
				user,
				requester or "",
				requester_superiors(requester) if superiors is None else superiors,
				approver_is_director=ROLE_DIRECTOR in roles,
				requester_is_director=bool(requester) and ROLE_DIRECTOR in set(frappe.get_roles(requester)),
			)
			if allowed:
				return True, ""
		return False, _(
			"{0} cannot approve at Manager level: it belongs to the requester's superior (the user of the Employee {1} reports to in ERPNext, or higher up that line) or a Key Account Director, never to a colleague of the requester."
		).format(user, requester)
	if level == "Director":
		if ROLE_DIRECTOR in roles:
			return True, ""
		return False, _(
			"{0} cannot approve at Director level: it needs the role Key Account Director."
		).format(user)
	if level == "Finance":
		if ROLE_FINANCE in roles:
			return True, ""
		return False, _(
			"{0} cannot approve at Finance level: it needs the role Hospitality Approver."
		).format(user)
	return False, _("{0} is not an approval level; use Manager, Director or Finance.").format(level)


def can_manage_request(user: str, doc) -> bool:
	"""The requester, the account's manager and team, Directors and System Managers may record the
	settlement of a request."""
	if same_user(user, doc.requested_by) or user == "Administrator":
		return True
	roles = set(frappe.get_roles(user))
	if roles & {ROLE_DIRECTOR, "System Manager"}:
		return True
	return user.casefold() in account_team(doc.key_account)


# ---------------------------------------------------------------------------------------------------------
# Workflow shipped with the app


STATES = (
	# state, style, roles that may edit the document in that state
	(DRAFT, "", (ROLE_MANAGER, ROLE_DIRECTOR)),
	(PENDING["Manager"], "Warning", (ROLE_MANAGER, ROLE_DIRECTOR)),
	(PENDING["Director"], "Warning", (ROLE_DIRECTOR,)),
	(PENDING["Finance"], "Warning", (ROLE_FINANCE,)),
	(APPROVED, "Success", (ROLE_MANAGER, ROLE_DIRECTOR)),
	(REJECTED, "Danger", ("System Manager",)),
	(SETTLED, "Primary", ("System Manager",)),
)
ACTIONS = (ACTION_SUBMIT, ACTION_APPROVE, ACTION_REJECT, ACTION_SEND_BACK, ACTION_SETTLE)


def _goes_to(state: str) -> str:
	# the controller stores the state the next Submit / Approve / Settle leads to; the transitions follow it
	return f'doc.next_approval_state == "{state}"'


def workflow_transitions() -> list[dict]:
	transitions: list[dict] = []

	def add(state, action, next_state, roles, condition=None, self_approval=0):
		for role in roles:
			transitions.append(
				{
					"state": state,
					"action": action,
					"next_state": next_state,
					"allowed": role,
					"allow_self_approval": self_approval,
					"condition": condition,
				}
			)

	requesters = (ROLE_MANAGER, ROLE_DIRECTOR)
	for level in core.LEVELS:
		add(DRAFT, ACTION_SUBMIT, PENDING[level], requesters, _goes_to(PENDING[level]), self_approval=1)
	for index, level in enumerate(core.LEVELS):
		roles = LEVEL_ROLES[level]
		for target in [PENDING[later] for later in core.LEVELS[index + 1 :]] + [APPROVED]:
			add(PENDING[level], ACTION_APPROVE, target, roles, _goes_to(target))
		add(PENDING[level], ACTION_REJECT, REJECTED, roles)
		add(PENDING[level], ACTION_SEND_BACK, DRAFT, roles)
	for target in [SETTLED] + [PENDING[level] for level in core.LEVELS]:
		add(APPROVED, ACTION_SETTLE, target, requesters, _goes_to(target), self_approval=1)
	return transitions


def setup_workflow() -> str:
	"""Create or update the Hospitality Request workflow, its states and actions; idempotent."""
	styles = {state: style for state, style, _roles in STATES}
	for state, style in styles.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in ACTIONS:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)

	states = [
		{"state": state, "doc_status": "0", "allow_edit": role}
		for state, _style, roles in STATES
		for role in roles
	]
	transitions = workflow_transitions()
	if frappe.db.exists("Workflow", WORKFLOW_NAME):
		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		current = (
			[(s.state, s.doc_status, s.allow_edit) for s in workflow.states],
			[
				(t.state, t.action, t.next_state, t.allowed, cint(t.allow_self_approval), t.condition or None)
				for t in workflow.transitions
			],
			cint(workflow.is_active),
		)
		wanted = (
			[(s["state"], s["doc_status"], s["allow_edit"]) for s in states],
			[
				(
					t["state"],
					t["action"],
					t["next_state"],
					t["allowed"],
					t["allow_self_approval"],
					t["condition"],
				)
				for t in transitions
			],
			1,
		)
		if current == wanted and workflow.document_type == DOCTYPE:
			return workflow.name
		workflow.states = []
		workflow.transitions = []
	else:
		workflow = frappe.new_doc("Workflow")
		workflow.workflow_name = WORKFLOW_NAME
	workflow.update(
		{
			"document_type": DOCTYPE,
			"workflow_state_field": "workflow_state",
			"is_active": 1,
			"override_status": 0,
			"send_email_alert": 0,
		}
	)
	for row in states:
		workflow.append("states", row)
	for row in transitions:
		workflow.append("transitions", row)
	workflow.save(ignore_permissions=True)
	frappe.cache.hdel("workflow", DOCTYPE)
	return workflow.name


def remove_workflow() -> None:
	"""For before_uninstall: the workflow points at a DocType the uninstall removes."""
	if frappe.db.exists("Workflow", WORKFLOW_NAME):
		frappe.delete_doc("Workflow", WORKFLOW_NAME, ignore_permissions=True, force=True)
	frappe.cache.hdel("workflow", DOCTYPE)


# ---------------------------------------------------------------------------------------------------------
# Whitelisted methods for the form


def _load_request(doc=None, name=None, ptype: str = "read"):
	if name:
		if not isinstance(name, str) or not frappe.db.exists(DOCTYPE, name):
			frappe.throw(_("Hospitality Request {0} does not exist.").format(name), frappe.DoesNotExistError)
		request = frappe.get_doc(DOCTYPE, name)
		request.check_permission(ptype)
		return request
	if not doc:
		frappe.throw(_("Pass the request (doc) or its name."))
	values = frappe.parse_json(doc)
	if not isinstance(values, dict):
		frappe.throw(_("The request must be a document (a JSON object)."))
	values["doctype"] = DOCTYPE
	request = frappe.get_doc(values)
	if request.name and frappe.db.exists(DOCTYPE, request.name):
		frappe.get_doc(DOCTYPE, request.name).check_permission(ptype)
	elif not frappe.has_permission(DOCTYPE, "create"):
		frappe.throw(_("You are not allowed to create Hospitality Requests."), frappe.PermissionError)
	return request


@frappe.whitelist()
def get_limit_preview(doc=None, name=None) -> dict:
	"""What the request (saved, by ``name``, or as edited in the form, ``doc``) does to each limit, and the
	approval levels it needs; nothing is saved."""
	request = _load_request(doc, name)
	if not request.key_account or not frappe.db.exists("Key Account Profile", request.key_account):
		return {"checks": [], "route": [], "any_official": False, "breaks_limit": False}
	frappe.has_permission("Key Account Profile", "read", request.key_account, throw=True)
	request.customer = frappe.db.get_value("Key Account Profile", request.key_account, "customer")
	request.company = request.company or default_company()
	if flt(request.estimated_amount) <= 0:
		return {"checks": [], "route": [], "any_official": False, "breaks_limit": False}
	# only contacts of the account's customer are previewed (saving refuses the others): the preview
	# never tells another contact's name, official flag or spend
	request.set("recipients", customer_recipients(request))
	result = evaluate(request)
	names = dict(
		frappe.get_all(
			"Contact",
			filters={"name": ("in", [row.contact for row in request.recipients if row.contact] or [""])},
			fields=["name", "full_name"],
			as_list=True,
		)
	)
	return {
		"checks": limit_check_rows(result.checks, names),
		"route": list(result.route),
		"any_official": result.any_official,
		"breaks_limit": result.breaks_limit,
		"budget": result.budget,
		"gross_profit": result.gross_profit,
		"year": result.year,
		"currency": frappe.get_cached_value("Company", request.company, "default_currency"),
	}


def customer_recipients(request) -> list:
	"""The recipient rows of ``request`` whose contact is a contact of the request's customer."""
	contacts = [row.contact for row in request.get("recipients") or [] if row.contact]
	linked = set(
		frappe.get_all(
			"Dynamic Link",
			filters={
				"parenttype": "Contact",
				"parent": ("in", contacts or [""]),
				"link_doctype": "Customer",
				"link_name": request.customer or "",
			},
			pluck="parent",
		)
	)
	return [row for row in request.get("recipients") or [] if row.contact in linked]


@frappe.whitelist(methods=["POST"])
def set_rejection_reason(name: str, reason: str) -> None:
	"""Record why the current approver rejects or sends back a pending request (before the action)."""
	reason = (reason or "").strip() if isinstance(reason, str) else ""
	if not reason:
		frappe.throw(_("Write the reason for rejecting or sending back the request."))
	request = _load_request(name=name, ptype="write")
	level = LEVEL_OF_STATE.get(request.workflow_state)
	if not level:
		frappe.throw(
			_("Request {0} is {1}: only a pending request can be rejected or sent back.").format(
				request.name, _(request.workflow_state)
			)
		)
	request.check_approver(level)
	request.rejection_reason = reason
	# the same words as the field held still become this approver's reason
	request.flags.rejection_reason_written = True
	request.save()


def default_company() -> str | None:
	company = frappe.db.get_single_value("Key Account Settings", "company")
	return company or frappe.defaults.get_global_default("company")
