"""What a person does on the Key Account Profile: the category spend estimate, confirming or changing the
relationship stage (with history and playbook), and turning a playbook action into a ToDo
(docs/DOMAIN.md §3).

The profile controller calls :func:`validate_profile_relationship` from its ``validate``; the form's
buttons call :func:`confirm_suggested_stage` and :func:`make_todo`.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime, today

from key_account_management.buying_center.members import members_by_account
from key_account_management.core import relationship as core
from key_account_management.groups.figures import profile_facts
from key_account_management.relationship.evaluation import COMPUTED_FIELDS, evaluate, get_config
from key_account_management.relationship.stages import get_playbook, get_stages


def validate_profile_relationship(doc) -> None:
	"""Called from Key Account Profile.validate (after the ABC class is set).

	Checks the spend estimate, recomputes SoW, suggested stage, status and health for this customer,
	and records a stage change (reason when it skips stages, history row, new playbook).
	"""
	validate_spend_estimate(doc)
	sync_spend_estimates(doc)
	config = get_config()
	stages = get_stages()
	as_of = getdate(today())
	facts = profile_facts(doc, config.company, as_of)  # a group's: its members' added up (§13)
	members = members_by_account([doc.name]).get(doc.name, []) if doc.name else []
	target = evaluate(doc, facts, members, stages, config, as_of)
	for field in COMPUTED_FIELDS:
		doc.set(field, target[field])
	apply_stage_change(doc, stages, config, target.sow)


def validate_spend_estimate(doc) -> None:
	label = _(doc.meta.get_label("estimated_category_spend"))
	if flt(doc.estimated_category_spend) < 0:
		frappe.throw(
			_(
				"{0} cannot be negative ({1}): enter the customer's yearly spend on the category, or leave it empty."
			).format(frappe.bold(label), flt(doc.estimated_category_spend)),
			title=_("Invalid Spend Estimate"),
		)
	if flt(doc.estimated_category_spend) and not doc.spend_estimate_as_of:
		doc.spend_estimate_as_of = today()
	if doc.spend_estimate_as_of and getdate(doc.spend_estimate_as_of) > getdate(today()):
		frappe.throw(
			_("{0} cannot be in the future ({1}).").format(
				frappe.bold(_(doc.meta.get_label("spend_estimate_as_of"))), doc.spend_estimate_as_of
			),
			title=_("Invalid Spend Estimate"),
		)


def sync_spend_estimates(doc) -> None:
	"""Keep the estimate history and the current estimate together.

	A new or changed current estimate is recorded in the history under its day (replacing an estimate
	of that same day); history rows entered by hand (earlier estimates) make the latest of them the
	current estimate when the current one was left alone. Rows must be positive and not in the future,
	one per day."""
	before = doc.get_doc_before_save()
	rows = doc.get("spend_estimates") or []
	for row in rows:
		if flt(row.estimated_category_spend) <= 0 or not row.as_of:
			frappe.throw(
				_("Row {0} of {1}: enter the day and an estimate above 0.").format(
					row.idx, _(doc.meta.get_label("spend_estimates"))
				),
				title=_("Invalid Spend Estimate"),
			)
		if getdate(row.as_of) > getdate(today()):
			frappe.throw(
				_("Row {0} of {1}: an estimate cannot be dated in the future ({2}).").format(
					row.idx, _(doc.meta.get_label("spend_estimates")), frappe.format(row.as_of, "Date")
				),
				title=_("Invalid Spend Estimate"),
			)
	current = (
		flt(doc.estimated_category_spend),
		getdate(doc.spend_estimate_as_of) if doc.spend_estimate_as_of else None,
	)
	previous = (
		(
			flt(before.estimated_category_spend),
			getdate(before.spend_estimate_as_of) if before.spend_estimate_as_of else None,
		)
		if before
		else (0.0, None)
	)
	changed = current != previous
	day = current[1] or getdate(today())
	same_day = [row for row in rows if getdate(row.as_of) == day]
	# the current estimate is always in the history (an estimate made before the history existed too)
	if current[0] > 0 and (changed or not same_day):
		if same_day:
			same_day[-1].estimated_category_spend = current[0]
			same_day[-1].recorded_by = frappe.session.user
		else:
			doc.append(
				"spend_estimates",
				{"as_of": day, "estimated_category_spend": current[0], "recorded_by": frappe.session.user},
			)
	if not changed and doc.get("spend_estimates"):
		latest = max(doc.get("spend_estimates"), key=lambda row: (getdate(row.as_of), row.idx or 0))
		doc.estimated_category_spend = latest.estimated_category_spend
		doc.spend_estimate_as_of = latest.as_of
	for row in doc.get("spend_estimates"):
		row.recorded_by = row.recorded_by or frappe.session.user
	days = [getdate(row.as_of) for row in doc.get("spend_estimates")]
	if len(days) != len(set(days)):
		frappe.throw(
			_("{0} has two estimates of the same day; keep one per day.").format(
				_(doc.meta.get_label("spend_estimates"))
			),
			title=_("Invalid Spend Estimate"),
		)
	doc.set("spend_estimates", sorted(doc.get("spend_estimates"), key=lambda row: getdate(row.as_of)))
	for index, row in enumerate(doc.get("spend_estimates"), start=1):
		row.idx = index


def skipped_stages(from_stage: str, to_stage: str, stages) -> list[str]:
	ordered = [
		s.name for s in sorted((s for s in stages if not s.interrupted), key=lambda s: (s.sequence, s.name))
	]
	low, high = sorted((ordered.index(from_stage), ordered.index(to_stage)))
	return ordered[low + 1 : high]


def apply_stage_change(doc, stages, config, sow: float | None) -> None:
	before = doc.get_doc_before_save()
	old = (before.relationship_stage if before else None) or None
	manual = (doc.relationship_stage or None) != old
	if config.auto_apply_stage and not manual and doc.suggested_stage and doc.suggested_stage != old:
		doc.relationship_stage = doc.suggested_stage
		if not (doc.stage_change_reason or "").strip():
			doc.stage_change_reason = auto_reason(sow)
	new = doc.relationship_stage or None

	if new != old:
		reason = (doc.stage_change_reason or "").strip()
		if new and core.skips_stages(old, new, stages) and not reason:
			frappe.throw(
				_(
					"Moving {0} from {1} to {2} skips {3}: enter a Stage Change Reason saying why the account jumps stages."
				).format(
					frappe.bold(doc.customer_name or doc.customer),
					frappe.bold(old),
					frappe.bold(new),
					", ".join(frappe.bold(s) for s in skipped_stages(old, new, stages)),
				),
				title=_("Stage Change Reason Required"),
			)
		doc.append(
			"stage_history",
			{
				"changed_on": now_datetime(),
				"from_stage": old,
				"to_stage": new,
				"reason": reason or None,
				"changed_by": frappe.session.user,
			},
		)
		doc.stage_change_reason = None
		set_playbook(doc, new)
	elif new and not doc.get("playbook_items"):
		set_playbook(doc, new)


def auto_reason(sow: float | None) -> str:
	if sow is None:
		return _("Applied automatically from the account status.")
	return _("Applied automatically: share of wallet {0}%.").format(flt(sow, 1))


def set_playbook(doc, stage: str | None) -> None:
	doc.set("playbook_items", [])
	if not stage:
		return
	for action in get_playbook(stage):
		doc.append("playbook_items", {"stage": stage, "action": action, "done": 0})


@frappe.whitelist()
def confirm_suggested_stage(profile: str, reason: str | None = None) -> str | None:
	"""The manager confirms the suggested stage: it becomes the relationship stage."""
	doc = frappe.get_doc("Key Account Profile", profile)
	doc.check_permission("write")
	if not doc.suggested_stage:
		frappe.throw(_("{0} has no suggested stage to confirm.").format(frappe.bold(profile)))
	if doc.suggested_stage != doc.relationship_stage:
		doc.relationship_stage = doc.suggested_stage
		doc.stage_change_reason = reason or _("Confirmed the suggested stage.")
		doc.save()
	return doc.relationship_stage


@frappe.whitelist()
def make_todo(profile: str, row_name: str) -> str:
	"""Turn a playbook action of the profile into a ToDo for its account manager; returns the ToDo."""
	if not isinstance(profile, str) or not isinstance(row_name, str):
		frappe.throw(_("profile and row_name must be names."))
	doc = frappe.get_doc("Key Account Profile", profile)
	doc.check_permission("write")
	row = next((r for r in doc.playbook_items if r.name == row_name), None)
	if not row:
		frappe.throw(
			_("Row {0} is not a playbook action of {1}.").format(frappe.bold(row_name), frappe.bold(profile)),
			frappe.DoesNotExistError,
		)
	if row.todo and frappe.db.get_value("ToDo", row.todo, "status") == "Open":
		return row.todo
	if not doc.account_manager:
		frappe.throw(
			_("{0} has no Account Manager: set one before turning playbook actions into ToDos.").format(
				frappe.bold(profile)
			),
			title=_("No Account Manager"),
		)
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": doc.account_manager,
			"assigned_by": frappe.session.user,
			"reference_type": "Key Account Profile",
			"reference_name": doc.name,
			"description": _("{0} ({1}): {2}").format(
				doc.customer_name or doc.customer, row.stage, row.action
			),
			"priority": "Medium",
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Key Account Playbook Item", row.name, "todo", todo.name, update_modified=False)
	return todo.name
