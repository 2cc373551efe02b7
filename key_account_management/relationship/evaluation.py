"""One Key Account Profile's computed relationship fields from its facts (docs/DOMAIN.md §3, §9).

The rules live in ``core.relationship`` and ``core.health``; this module reads the settings they need
(:func:`get_config`) and turns one account's facts (read set-based by ``facts.load_facts``) into the
profile's fields with :func:`evaluate`. The profile form (``profile.validate_profile_relationship``)
and the daily job (``job.evaluate_all_profiles``) apply the same evaluation.
"""

from __future__ import annotations

import datetime as dt
import re

import frappe
from frappe.utils import cint, cstr, flt, getdate, today

from key_account_management.core import health
from key_account_management.core import relationship as core
from key_account_management.core.buying_center import FLAG_KEY_PERSON_LEFT, coverage
from key_account_management.core.visits import cadence_days
from key_account_management.relationship.facts import Facts, period_starts
from key_account_management.relationship.stages import interrupted_stage, lowest_stage

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


def get_config():
	"""The settings this module needs, with defaults resolved."""
	from key_account_management.settings import get_settings, number_setting
	from key_account_management.visits.cadence import get_cadence

	settings = frappe.get_cached_doc("Key Account Settings")
	defaults = health.HealthWeights()

	def weight(part):
		value = settings.get(f"weight_{part}")
		return getattr(defaults, part) if value is None else cint(number_setting(f"weight_{part}", settings))

	return frappe._dict(
		company=get_settings().company,
		# a value out of range stops here with the field's name, not in the rules with a bare ValueError
		interruption_days=cint(number_setting("interruption_days", settings)) or 180,
		auto_apply_stage=cint(settings.auto_apply_stage),
		weights=health.HealthWeights(**{part: weight(part) for part in health.HEALTH_PARTS}),
		# the same cadence as the visit job: an empty one is the default, not "no cadence"
		cadence=get_cadence(),
	)


def format_parts(result: health.HealthResult, weights: health.HealthWeights) -> str:
	lines = []
	for part in health.HEALTH_PARTS:
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


def days_since(last_order_date, as_of=None) -> int:
	"""Days from the last order to ``as_of`` (today); 0 without an order. Worked out when shown, not
	stored: it moves every day on every account, and storing it rewrote every profile each night."""
	if not last_order_date:
		return 0
	return max((getdate(as_of or today()) - getdate(last_order_date)).days, 0)


def parts_as_of(profile, config=None, as_of=None) -> str | None:
	"""The profile's stored health parts with the two that move with the calendar alone (order recency,
	visits) worked out for ``as_of`` (today) from the stored dates, as the daily job would write them.

	The job writes a profile only when its stage, status, health or flags moved, so the points of
	these two parts would otherwise show the day the score last moved (docs/DOMAIN.md §9)."""
	text = profile.get("health_parts")
	if not text:
		return text
	config = config or get_config()
	as_of = getdate(as_of or today())
	last_order, last_visit = profile.get("last_order_date"), profile.get("last_visit_date")
	dated = health.health_score(
		days_since_last_order=days_since(last_order, as_of) if last_order else None,
		revenue_trend=None,
		sow_trend=None,
		coverage_percent=None,
		support_score=None,
		days_since_last_visit=days_since(last_visit, as_of) if last_visit else None,
		weights=config.weights,
		interruption_days=config.interruption_days,
		visit_cadence_days=cadence_days(profile.get("abc_class"), config.cadence),
	)
	parts = {part: points for part, points in parse_parts(text).items() if points is not None}
	for part in ("recency", "visits"):
		parts.pop(part, None)
		if part in dated.parts:
			parts[part] = dated.parts[part]
	return format_parts(health.HealthResult(score=0, parts=parts, missing=()), config.weights)


def make_evaluator(stages, config, as_of: dt.date):
	""":func:`evaluate` for many profiles of one run: what depends only on the stages, the settings and
	the day is worked out once here, which the daily job, evaluating every profile, would otherwise
	repeat for each of them."""
	as_of = getdate(as_of)
	this_start, period_start = period_starts(as_of)
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
		revenue_trend = core.change(facts.revenue_this, facts.revenue_previous)
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
		score = health.health_score(
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
			# a lost customer starts over (docs/DOMAIN.md §3: relationships are cyclic)
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
			health_score=score.score,
			health_parts=format_parts(score, config.weights),
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
	"revenue_this_period",
	"revenue_previous_period",
	"health_score",
	"health_parts",
	"coverage_percent",
	"support_score",
	"buying_center_flags",
)
