"""Opportunity.validate (doc_events in hooks.py): key account, screen, milestones, stage moves, grade.

In order: the numbers are checked (probability, amount, risk scores, expected close on an open
opportunity); the key account is taken from the customer; a small order is kept out of the funnel; the
risk screen is scored and a failed screen marks the opportunity not pursued; the milestone checklist is
kept in step with the funnel stages; a stage move past an open milestone needs a reason and is recorded;
the opportunity is graded, the manager's override applied, and a grade change recorded.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt, getdate, now_datetime, today

from key_account_management.core import funnel as core
from key_account_management.core import funnel_stages
from key_account_management.funnel.config import get_config
from key_account_management.funnel.fields import SCORE_FIELDS
from key_account_management.funnel.permissions import check_can_save


class StageMoveError(frappe.ValidationError):
	"""A stage move past an open milestone without a reason."""


def label(doc, fieldname: str) -> str:
	return _(doc.meta.get_label(fieldname))


def validate(doc, method=None) -> None:
	config = get_config()
	as_of = getdate(today())
	before = doc.get_doc_before_save()
	validate_numbers(doc)
	set_key_account(doc)
	check_can_save(doc)
	doc.kam_out_of_funnel = int(funnel_stages.is_small_order(doc.base_opportunity_amount, config.min_amount))
	result = apply_screen(doc, before, config)
	validate_not_pursued(doc)
	validate_expected_closing(doc, before, as_of)
	if not doc.kam_out_of_funnel and config.stages:
		sync_milestones(doc, config.stages)
		apply_stage_move(doc, before, config.stages)
	apply_grade(doc, before, config, result, as_of)


# -- numbers -------------------------------------------------------------------------------------------
def validate_numbers(doc) -> None:
	probability = flt(doc.probability)
	if not 0 <= probability <= 100:
		frappe.throw(
			_("{0} must be from 0 to 100; it is {1}.").format(
				frappe.bold(label(doc, "probability")), probability
			),
			title=_("Invalid Probability"),
		)
	for fieldname in ("opportunity_amount", "conversion_rate"):
		if flt(doc.get(fieldname)) < 0:
			frappe.throw(
				_("{0} cannot be negative; it is {1}.").format(
					frappe.bold(label(doc, fieldname)), flt(doc.get(fieldname))
				),
				title=_("Invalid Amount"),
			)
	# what the form computes, for opportunities made through the API
	doc.base_opportunity_amount = flt(
		flt(doc.opportunity_amount) * (flt(doc.conversion_rate) or 1.0),
		doc.precision("base_opportunity_amount"),
	)
	scores = risk_scores(doc)
	for factor in core.invalid_scores(scores):
		fieldname = SCORE_FIELDS[factor]
		frappe.throw(
			_(
				"{0} must be a whole number from {1} (high risk) to {2} (low risk), or empty while not scored; it is {3}."
			).format(frappe.bold(label(doc, fieldname)), core.SCORE_MIN, core.SCORE_MAX, doc.get(fieldname)),
			title=_("Invalid Risk Score"),
		)


def risk_scores(doc) -> dict[str, int]:
	return {factor: cint(doc.get(fieldname)) for factor, fieldname in SCORE_FIELDS.items()}


def validate_expected_closing(doc, before, as_of) -> None:
	"""An open opportunity cannot be given a close date in the past (one that passed since it was set is
	left alone: it grades D until the manager sets a new date)."""
	if not doc.expected_closing or not funnel_stages.is_open(doc.status):
		return
	if getdate(doc.expected_closing) >= as_of:
		return
	changed = (
		before is None
		or cstr(before.expected_closing) != cstr(doc.expected_closing)
		or not funnel_stages.is_open(before.status)
	)
	if changed:
		frappe.throw(
			_("{0} {1} is in the past: an open opportunity needs a close date from today on.").format(
				frappe.bold(label(doc, "expected_closing")), frappe.format(doc.expected_closing, "Date")
			),
			title=_("Invalid Expected Closing Date"),
		)


# -- key account -----------------------------------------------------------------------------------
def set_key_account(doc) -> None:
	"""A customer's own profile is its key account; for a lead, a prospect or a customer without a
	profile, the key account may be chosen (a new division of a key account, say)."""
	if doc.opportunity_from == "Customer" and doc.party_name:
		if frappe.db.exists("Key Account Profile", doc.party_name):
			doc.kam_key_account = doc.party_name


def link_key_accounts(customer: str | None = None) -> int:
	"""Give the opportunities of customers with a profile that have no key account yet (made before the
	app was installed, or before the profile) their key account: one set-based UPDATE.

	Run on install and migrate, by the daily job, and when a profile is made (doc_events)."""
	condition, values = "", {}
	if customer:
		condition, values = "and o.party_name = %(customer)s", {"customer": customer}
	frappe.db.sql(
		f"""update `tabOpportunity` o inner join `tabKey Account Profile` p on p.name = o.party_name
		set o.kam_key_account = p.name
		where o.opportunity_from = 'Customer' and ifnull(o.kam_key_account, '') = '' {condition}""",
		values,
	)
	return frappe.db.sql("select row_count()")[0][0]


def on_profile_insert(doc, method=None) -> None:
	"""Key Account Profile after_insert (doc_events): the customer's opportunities join the account."""
	link_key_accounts(doc.name)


# -- risk screen ------------------------------------------------------------------------------------
def failure_reason(result: core.ScreenResult, rule: core.ScreenRule) -> str:
	parts = []
	if result.below_pass_mark:
		parts.append(
			_("total {0} of {1} is below the pass mark {2}").format(
				result.total, result.max_total, rule.pass_total
			)
		)
	for factor in result.knocked_out:
		parts.append(
			_("{0} scored below {1}").format(_(core.RISK_FACTOR_LABELS[factor]), rule.knockout_below)
		)
	return _("Failed the risk screen: {0}.").format("; ".join(parts))


def apply_screen(doc, before, config) -> core.ScreenResult | None:
	result = core.screen(risk_scores(doc), config.screen_rule)
	doc.kam_screen_total = result.total if result else 0
	doc.kam_screen_result = (core.SCREEN_PASSED if result.passed else core.SCREEN_FAILED) if result else None
	doc.kam_screen_likelihood = result.likelihood if result else 0
	if result and not result.passed and not doc.kam_out_of_funnel:
		if not cint(doc.kam_not_pursued):
			doc.kam_not_pursued = 1
			doc.kam_not_pursued_reason = failure_reason(result, config.screen_rule)
	elif result and result.passed and before and cint(doc.kam_not_pursued):
		# a re-scored screen that passes lifts the mark the failed screen set, unless a person wrote
		# their own reason
		previous = core.screen(risk_scores(before), config.screen_rule)
		if (
			previous
			and not previous.passed
			and cstr(doc.kam_not_pursued_reason) == failure_reason(previous, config.screen_rule)
		):
			doc.kam_not_pursued = 0
			doc.kam_not_pursued_reason = None
	return result


def validate_not_pursued(doc) -> None:
	if cint(doc.kam_not_pursued) and not cstr(doc.kam_not_pursued_reason).strip():
		frappe.throw(
			_("{0} is ticked: enter a {1} saying why the opportunity is not pursued.").format(
				frappe.bold(label(doc, "kam_not_pursued")), frappe.bold(label(doc, "kam_not_pursued_reason"))
			),
			title=_("Reason Required"),
		)
	if not cint(doc.kam_not_pursued):
		doc.kam_not_pursued_reason = None


# -- milestones and stages ---------------------------------------------------------------------------
def sync_milestones(doc, stages) -> None:
	"""One checklist row per funnel stage, in funnel order; a ticked row records when and by whom."""
	by_stage = {row.sales_stage: row for row in doc.get("kam_milestones") or []}
	names = {stage.name for stage in stages}
	rows = []
	for stage in funnel_stages.ordered(stages):
		row = by_stage.get(stage.name)
		if row is None:
			row = doc.append("kam_milestones", {"sales_stage": stage.name, "done": 0})
		if not cint(row.done):
			row.milestone = stage.milestone
		rows.append(row)
	# rows of stages taken out of the funnel stay only when they were done
	rows += [row for row in doc.get("kam_milestones") if row.sales_stage not in names and cint(row.done)]
	for idx, row in enumerate(rows, start=1):
		row.idx = idx
		if cint(row.done) and not row.done_on:
			row.done_on, row.done_by = today(), frappe.session.user
		elif not cint(row.done):
			row.done_on = row.done_by = None
	doc.set("kam_milestones", rows)


def done_stages(doc) -> set[str]:
	return {row.sales_stage for row in doc.get("kam_milestones") or [] if cint(row.done)}


def apply_stage_move(doc, before, stages) -> None:
	old = (before.sales_stage if before else None) or None
	new = doc.sales_stage or None
	reason = cstr(doc.kam_stage_change_reason).strip()
	if new != old:
		passed = funnel_stages.passed_open_milestones(old, new, stages, done_stages(doc))
		if passed and not reason:
			milestones = {stage.name: stage.milestone for stage in stages}
			frappe.throw(
				_(
					"Moving to {0} goes past {1} with its key milestone still open ({2}): tick the milestone, or enter a {3} saying why the deal moves on without it."
				).format(
					frappe.bold(_(new)),
					", ".join(frappe.bold(_(name)) for name in passed),
					"; ".join(_(milestones[name]) for name in passed),
					frappe.bold(label(doc, "kam_stage_change_reason")),
				),
				StageMoveError,
				title=_("Milestone Open"),
			)
		doc.append(
			"kam_stage_history",
			{
				"changed_on": now_datetime(),
				"from_stage": old,
				"to_stage": new,
				"open_milestones": ", ".join(passed) or None,
				"reason": reason or None,
				"changed_by": frappe.session.user,
			},
		)
	doc.kam_stage_change_reason = None
	doc.kam_furthest_stage = funnel_stages.furthest_stage(new, doc.kam_furthest_stage, stages)


# -- grade ----------------------------------------------------------------------------------------
def validate_override(doc, before, as_of) -> None:
	override = doc.kam_grade_override or None
	if not override:
		doc.kam_grade_override_reason = doc.kam_grade_override_until = None
		return
	if override not in core.GRADES:
		frappe.throw(
			_("{0} must be one of {1}; it is {2}.").format(
				frappe.bold(label(doc, "kam_grade_override")), ", ".join(core.GRADES), override
			),
			title=_("Invalid Grade"),
		)
	if not cstr(doc.kam_grade_override_reason).strip():
		frappe.throw(
			_("{0} needs an {1}: say why the opportunity is graded {2} rather than computed.").format(
				frappe.bold(label(doc, "kam_grade_override")),
				frappe.bold(label(doc, "kam_grade_override_reason")),
				override,
			),
			title=_("Reason Required"),
		)
	until = doc.kam_grade_override_until
	changed = before is None or cstr(before.kam_grade_override_until) != cstr(until)
	if until and changed and getdate(until) < as_of:
		frappe.throw(
			_("{0} {1} is in the past.").format(
				frappe.bold(label(doc, "kam_grade_override_until")), frappe.format(until, "Date")
			),
			title=_("Invalid Date"),
		)


def is_gradable(doc) -> bool:
	return (
		funnel_stages.is_open(doc.status)
		and not cint(doc.kam_not_pursued)
		and not cint(doc.kam_out_of_funnel)
	)


def apply_grade(doc, before, config, result, as_of) -> None:
	"""Grade an open, pursued opportunity in the funnel; the others keep the grade they had."""
	validate_override(doc, before, as_of)
	doc.kam_likelihood = core.graded_likelihood(doc.probability, result)
	if not is_gradable(doc):
		return
	days = core.days_to_close(getdate(doc.expected_closing) if doc.expected_closing else None, as_of)
	doc.kam_computed_grade = core.grade(days, doc.kam_likelihood, config.bands)
	until = getdate(doc.kam_grade_override_until) if doc.kam_grade_override_until else None
	grade, by_override = core.effective_grade(doc.kam_computed_grade, doc.kam_grade_override, until, as_of)
	previous = (before.kam_grade if before else None) or None
	if grade != previous:
		doc.append(
			"kam_grade_history",
			{
				"changed_on": now_datetime(),
				"from_grade": previous,
				"to_grade": grade,
				"source": core.SOURCE_OVERRIDE if by_override else core.SOURCE_COMPUTED,
				"expected_closing": doc.expected_closing,
				"likelihood": doc.kam_likelihood,
				"reason": doc.kam_grade_override_reason if by_override else None,
				"changed_by": frappe.session.user,
			},
		)
	doc.kam_grade = grade
