"""Frappe side of relationship stages, share of wallet, account status and health (DOMAIN.md §3).

The rules live in ``key_account_management.core.relationship``; this module reads the stage master and
the settings, turns one account's facts (read set-based by ``relationship_job.load_facts``) into the
profile's fields with :func:`evaluate`, and handles what a person does on the profile: entering the
category spend estimate, confirming or changing the stage (with history and playbook), and turning a
playbook action into a ToDo.

The profile controller calls :func:`validate_profile_relationship` from its ``validate``; the daily job
(``relationship_job.evaluate_all_profiles``) applies the same :func:`evaluate` to every profile.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt, getdate, now_datetime, today

from key_account_management.core import relationship as core
from key_account_management.core.buying_center import FLAG_KEY_PERSON_LEFT, coverage
from key_account_management.core.visits import cadence_days

# SoW compares our revenue with the customer's *annual* category spend, so its window is a year
# whatever period the ABC classification uses; the trend compares it with the year before.
RELATIONSHIP_MONTHS = 12
# an estimate older than this is still used, but flagged so the account manager refreshes it
ESTIMATE_OUTDATED_DAYS = 365
FLAG_ESTIMATE_OUTDATED = "estimate outdated"

PART_LABELS = {
	"recency": "Order recency",
	"revenue_trend": "Revenue trend",
	"sow_trend": "SoW trend",
	"coverage": "Buying center",
	"visits": "Visits",
}
_PART_LINE = re.compile(r"^(?P<label>[^:]+): (?:(?P<points>[\d.]+) / (?P<weight>[\d.]+)|no data)")


# -- stage master ------------------------------------------------------------------------------------
def to_core_stage(row) -> core.Stage:
	"""A Relationship Stage record as the core sees it.

	Percent columns cannot hold NULL, so an empty SoW To (0) means "no upper bound" (the top stage),
	and an interrupted stage has no range at all.
	"""
	interrupted = bool(cint(row.get("interrupted")))
	if interrupted:
		return core.Stage(
			cstr(row.get("stage_name") or row.get("name")), cint(row.get("sequence")), interrupted=True
		)
	sow_to = flt(row.get("sow_to"))
	return core.Stage(
		name=cstr(row.get("stage_name") or row.get("name")),
		sequence=cint(row.get("sequence")),
		sow_from=flt(row.get("sow_from")),
		sow_to=sow_to if sow_to else None,
	)


def get_stages() -> list[core.Stage]:
	return [
		to_core_stage(row)
		for row in frappe.get_all(
			"Relationship Stage",
			fields=["name", "stage_name", "sequence", "interrupted", "sow_from", "sow_to"],
			order_by="sequence asc, name asc",
		)
	]


def interrupted_stage(stages: list[core.Stage]) -> str | None:
	interrupted = sorted((s for s in stages if s.interrupted), key=lambda s: (s.sequence, s.name))
	return interrupted[0].name if interrupted else None


def lowest_stage(stages: list[core.Stage]) -> str | None:
	return core.suggest_stage(0, stages)


def get_playbook(stage: str) -> list[str]:
	return frappe.get_all(
		"Relationship Stage Action",
		filters={"parent": stage, "parenttype": "Relationship Stage", "parentfield": "playbook"},
		pluck="action",
		order_by="idx asc",
	)


def install_default_stages() -> int:
	"""Create the five stages of DOMAIN.md §3 with their playbooks; returns how many were created.

	Only on a site that has no stage yet: after that the master belongs to the admins, so a stage they
	deleted or renamed is not brought back by the next migrate.
	"""
	if frappe.db.count("Relationship Stage"):
		return 0
	descriptions = {
		"Incubation": _(
			"New or lost customers; little use of our products; contact only sales manager and their liaison."
		),
		"Early": _("They expect good, easy products and service."),
		"Middle": _("Mutual trust, but they still buy from others."),
		"Strategic Partner": _("Broad cooperation, strategic partnership."),
		"Interrupted": _("Trading stopped, contact broken; can happen at any stage."),
	}
	for stage in core.DEFAULT_STAGES:
		frappe.get_doc(
			{
				"doctype": "Relationship Stage",
				"stage_name": stage.name,
				"sequence": stage.sequence,
				"interrupted": int(stage.interrupted),
				"sow_from": stage.sow_from or 0,
				"sow_to": stage.sow_to or 0,
				"description": descriptions.get(stage.name),
				"playbook": [{"action": action} for action in core.DEFAULT_PLAYBOOKS.get(stage.name, [])],
			}
		).insert(ignore_permissions=True)
	return len(core.DEFAULT_STAGES)


@frappe.whitelist()
def get_stage_ranges() -> list[dict]:
	"""Every stage's range, for the "Edit All Ranges" dialog."""
	frappe.has_permission("Relationship Stage", "read", throw=True)
	return frappe.get_all(
		"Relationship Stage",
		fields=["name", "sequence", "interrupted", "sow_from", "sow_to"],
		order_by="sequence asc, name asc",
	)


@frappe.whitelist()
def set_stage_ranges(ranges) -> int:
	"""Change several stages' SoW ranges at once, checked together; returns how many stages changed.

	Moving a boundary touches two stages, and either one saved alone would leave an overlap or a gap,
	so the form's one-stage check would refuse both. ``ranges`` maps a stage to {sow_from, sow_to}.
	"""
	from key_account_management.key_account_management.doctype.relationship_stage.relationship_stage import (
		check_ranges,
	)

	frappe.has_permission("Relationship Stage", "write", throw=True)
	ranges = frappe.parse_json(ranges) or {}
	if not isinstance(ranges, dict):
		frappe.throw(_("ranges must map a stage to its SoW From and SoW To."))
	rows = frappe.get_all(
		"Relationship Stage", fields=["name", "stage_name", "sequence", "interrupted", "sow_from", "sow_to"]
	)
	by_name = {row.name: row for row in rows}
	changed = []
	for stage, values in ranges.items():
		if stage not in by_name:
			frappe.throw(
				_("Relationship Stage {0} does not exist.").format(frappe.bold(stage)),
				frappe.DoesNotExistError,
			)
		row = by_name[stage]
		values = frappe._dict(values or {})
		for fieldname in ("sow_from", "sow_to"):
			if values.get(fieldname) is not None and flt(values[fieldname]) != flt(row[fieldname]):
				if flt(values[fieldname]) < 0:
					frappe.throw(_("Stage {0}: the SoW range cannot be negative.").format(frappe.bold(stage)))
				row[fieldname] = flt(values[fieldname])
				changed.append(stage)
	check_ranges(rows)
	for stage in dict.fromkeys(changed):
		doc = frappe.get_doc("Relationship Stage", stage)
		doc.sow_from, doc.sow_to = by_name[stage].sow_from, by_name[stage].sow_to
		doc.flags.ranges_checked = True
		doc.save()
	return len(dict.fromkeys(changed))


# -- settings ---------------------------------------------------------------------------------------
def get_config():
	"""The settings this module needs, with defaults resolved."""
	from key_account_management.key_account_management.doctype.key_account_settings.key_account_settings import (
		get_settings,
		number_setting,
	)
	from key_account_management.visits import get_cadence

	settings = frappe.get_cached_doc("Key Account Settings")
	defaults = core.HealthWeights()

	def weight(part):
		value = settings.get(f"weight_{part}")
		return getattr(defaults, part) if value is None else cint(number_setting(f"weight_{part}", settings))

	return frappe._dict(
		company=get_settings().company,
		# a value out of range stops here with the field's name, not in the rules with a bare ValueError
		interruption_days=cint(number_setting("interruption_days", settings)) or 180,
		auto_apply_stage=cint(settings.auto_apply_stage),
		weights=core.HealthWeights(**{part: weight(part) for part in core.HEALTH_PARTS}),
		# the same cadence as the visit job: an empty one is the default, not "no cadence"
		cadence=get_cadence(),
	)


# -- evaluation -------------------------------------------------------------------------------------
class Facts(frappe._dict):
	"""What the ledgers say about one customer (see ``relationship_job.load_facts``)."""


def empty_facts() -> Facts:
	return Facts(
		revenue_this=0.0,
		revenue_previous=0.0,
		last_order_date=None,
		groups_this=set(),
		groups_previous=set(),
		overdue=0.0,
		outstanding=0.0,
		credit_limit=0.0,
	)


def trend(current: float | None, previous: float | None) -> float | None:
	"""Change against the previous value as a ratio (-0.4 is -40%); None when neither has a value."""
	if current is None or previous is None:
		return None
	current, previous = max(flt(current), 0.0), max(flt(previous), 0.0)
	if previous == 0:
		return None if current == 0 else 1.0
	return (current - previous) / previous


def format_parts(result: core.HealthResult, weights: core.HealthWeights) -> str:
	lines = []
	for part in core.HEALTH_PARTS:
		label = PART_LABELS[part]
		weight = getattr(weights, part)
		if part in result.parts:
			lines.append(f"{label}: {result.parts[part]:.1f} / {weight:g}")
		else:
			lines.append(f"{label}: no data (weight {weight:g} left out)")
	return "\n".join(lines)


def parse_parts(text: str | None) -> dict[str, float | None]:
	"""The points of each part from a stored ``health_parts`` text; None for a part without data."""
	by_label = {label: part for part, label in PART_LABELS.items()}
	parts: dict[str, float | None] = {}
	for line in cstr(text).splitlines():
		match = _PART_LINE.match(line.strip())
		if match and match.group("label") in by_label:
			points = match.group("points")
			parts[by_label[match.group("label")]] = flt(points) if points is not None else None
	return parts


def evaluate(profile, facts: Facts, members, stages, config, as_of: dt.date, estimates=None) -> frappe._dict:
	"""Every computed relationship field of one profile, from its facts (no database access).

	``profile`` needs estimated_category_spend, spend_estimate_as_of, abc_class and last_visit_date;
	``estimates`` are its earlier category-spend estimates, (as of, amount) (see :func:`profile_estimates`).
	"""
	return make_evaluator(stages, config, as_of)(profile, facts, members, estimates)


def profile_estimates(profile, history=None) -> list[tuple]:
	"""(as of, amount) of every category-spend estimate of a profile: its history rows (``history``, or
	the document's own table) and the current estimate, which counts as made today when it has no date."""
	rows = (
		history
		if history is not None
		else [(row.as_of, row.estimated_category_spend) for row in profile.get("spend_estimates") or []]
	)
	estimates = [(as_of, flt(amount)) for as_of, amount in rows if as_of and flt(amount) > 0]
	if flt(profile.get("estimated_category_spend")) > 0:
		estimates.append(
			(
				getdate(profile.get("spend_estimate_as_of") or today()),
				flt(profile.get("estimated_category_spend")),
			)
		)
	return estimates


def make_evaluator(stages, config, as_of: dt.date):
	""":func:`evaluate` for many profiles of one run: what depends only on the stages, the settings and
	the day is worked out once here, which the daily job, evaluating every profile, would otherwise
	repeat for each of them."""
	as_of = getdate(as_of)
	this_start, period_start = _period_starts(as_of)
	previous_end = this_start - dt.timedelta(days=1)
	interrupted = interrupted_stage(stages)
	lowest = lowest_stage(stages)
	# what flt(value, 6) looks up in the system settings on every call
	rounding = frappe.get_system_settings("rounding_method") or "Banker's Rounding (legacy)"
	cadence: dict = {}  # class -> its visit cadence, looked up on first use

	def evaluate_one(profile, facts: Facts, members, estimates=None) -> frappe._dict:
		estimate = flt(profile.get("estimated_category_spend")) or None
		# each year's share on the estimate in force then: one estimate gives no SoW trend
		shares = core.shares_of_wallet(
			facts.revenue_this,
			facts.revenue_previous,
			profile_estimates(profile, estimates),
			as_of,
			previous_end,
		)
		sow = core.share_of_wallet(facts.revenue_this, estimate)
		previous_sow = shares.previous
		flags = core.sow_flags(sow)
		estimate_date = profile.get("spend_estimate_as_of")
		if estimate and estimate_date and (as_of - getdate(estimate_date)).days > ESTIMATE_OUTDATED_DAYS:
			flags.append(FLAG_ESTIMATE_OUTDATED)

		last_order = getdate(facts.last_order_date) if facts.last_order_date else None
		days = max((as_of - last_order).days, 0) if last_order else None
		revenue_trend = trend(facts.revenue_this, facts.revenue_previous)
		sow_trend = shares.trend if sow is not None else None

		members = list(members or [])
		center = coverage(members)
		status = core.account_status(
			days,
			config.interruption_days,
			revenue_trend=revenue_trend,
			has_any_purchase=bool(last_order and last_order >= period_start),
		)
		causes = []
		if status in (core.STATUS_INTERRUPTED, core.STATUS_LOST):
			causes = core.interruption_causes(
				key_person_left=FLAG_KEY_PERSON_LEFT in center.flags,
				overdue_amount=facts.overdue,
				credit_limit_exceeded=bool(
					flt(facts.credit_limit) > 0 and flt(facts.outstanding) > flt(facts.credit_limit)
				),
			)

		last_visit = getdate(profile.get("last_visit_date")) if profile.get("last_visit_date") else None
		abc_class = profile.get("abc_class")
		if abc_class not in cadence:
			cadence[abc_class] = cadence_days(abc_class, config.cadence)
		health = core.health_score(
			days_since_last_order=days,
			revenue_trend=revenue_trend,
			sow_trend=sow_trend,
			coverage_percent=center.coverage_percent,
			support_score=center.support_ratio if members else None,
			days_since_last_visit=max((as_of - last_visit).days, 0) if last_visit else None,
			weights=config.weights,
			interruption_days=config.interruption_days,
			visit_cadence_days=cadence[abc_class],
		)

		if status == core.STATUS_INTERRUPTED and interrupted:
			suggested = interrupted
		elif status == core.STATUS_LOST:
			# a lost customer starts over (DOMAIN.md §3: relationships are cyclic)
			suggested = core.suggest_stage(sow, stages) or lowest
		else:
			suggested = core.suggest_stage(sow, stages)

		return frappe._dict(
			share_of_wallet=flt(sow, 6, rounding) if sow is not None else 0.0,
			previous_share_of_wallet=flt(previous_sow, 6, rounding) if previous_sow is not None else 0.0,
			sow_flag=", ".join(flags) or None,
			suggested_stage=suggested,
			account_status=status,
			interruption_cause="\n".join(causes) or None,
			business_loss="\n".join(core.business_loss(facts.groups_previous, facts.groups_this)) or None,
			last_order_date=last_order,
			days_since_last_order=days or 0,
			revenue_this_period=flt(facts.revenue_this, 6, rounding),
			revenue_previous_period=flt(facts.revenue_previous, 6, rounding),
			health_score=health.score,
			health_parts=format_parts(health, config.weights),
			coverage_percent=center.coverage_percent,
			support_score=center.support_score,
			buying_center_flags="\n".join(center.flags) or None,
			sow=sow,
		)

	return evaluate_one


COMPUTED_FIELDS = (
	"share_of_wallet",
	"previous_share_of_wallet",
	"sow_flag",
	"suggested_stage",
	"account_status",
	"interruption_cause",
	"business_loss",
	"last_order_date",
	"days_since_last_order",
	"revenue_this_period",
	"revenue_previous_period",
	"health_score",
	"health_parts",
	"coverage_percent",
	"support_score",
	"buying_center_flags",
)


@functools.lru_cache(maxsize=32)
def _period_starts(as_of: dt.date) -> tuple[dt.date, dt.date]:
	"""(start of this period, start of the previous period) for the trailing-year windows: whole
	calendar months, the month of ``as_of`` and the eleven before it, as the monthly rollups hold them."""
	from key_account_management.core.periods import add_months, calendar_months

	this_from, _to = calendar_months(as_of, RELATIONSHIP_MONTHS)
	return this_from, add_months(this_from, -RELATIONSHIP_MONTHS)


# -- the profile form -------------------------------------------------------------------------------
def validate_profile_relationship(doc) -> None:
	"""Called from Key Account Profile.validate (after the ABC class is set).

	Checks the spend estimate, recomputes SoW, suggested stage, status and health for this customer,
	and records a stage change (reason when it skips stages, history row, new playbook).
	"""
	from key_account_management.buying_center import members_by_account
	from key_account_management.relationship_job import load_facts

	validate_spend_estimate(doc)
	sync_spend_estimates(doc)
	config = get_config()
	stages = get_stages()
	as_of = getdate(today())
	facts = load_facts(config.company, as_of, customers=[doc.customer]).get(doc.customer) or empty_facts()
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
