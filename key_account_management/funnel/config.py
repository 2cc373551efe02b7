"""The funnel's settings and stages as the core rules take them, and the checks on the settings."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt

from key_account_management.core import funnel as core
from key_account_management.core import funnel_stages

# the funnel's settings on a site that had the app before them (setup.set_default_settings)
SETTINGS_DEFAULTS = {
	"grade_a_within_days": 30,
	"grade_a_min_probability": 70,
	"grade_b_within_days": 90,
	"grade_b_min_probability": 50,
	"grade_c_within_days": 180,
	"grade_c_min_probability": 20,
	"funnel_min_amount": 0,
	"screen_pass_total": core.DEFAULT_SCREEN_RULE.pass_total,
	"screen_knockout_below": core.DEFAULT_SCREEN_RULE.knockout_below,
}


def _value(settings, fieldname: str):
	value = settings.get(fieldname)
	return SETTINGS_DEFAULTS[fieldname] if value is None else value


def bands_from(settings) -> tuple[core.GradeBand, ...]:
	return tuple(
		core.GradeBand(
			grade,
			cint(_value(settings, f"grade_{grade.lower()}_within_days")),
			flt(_value(settings, f"grade_{grade.lower()}_min_probability")),
		)
		for grade in core.BANDED_GRADES
	)


def get_stages() -> list[funnel_stages.FunnelStage]:
	"""The Sales Stages in the funnel (sequence above 0), in order."""
	if not frappe.db.has_column("Sales Stage", "kam_sequence"):
		return []
	return funnel_stages.ordered(
		funnel_stages.FunnelStage(
			row.name, cint(row.kam_sequence), cstr(row.kam_milestone), cstr(row.kam_work)
		)
		for row in frappe.get_all(
			"Sales Stage",
			filters={"kam_sequence": (">", 0)},
			fields=["name", "kam_sequence", "kam_milestone", "kam_work"],
		)
	)


def get_config() -> frappe._dict:
	settings = frappe.get_cached_doc("Key Account Settings")
	return frappe._dict(
		bands=bands_from(settings),
		screen_rule=core.ScreenRule(
			cint(_value(settings, "screen_pass_total")), cint(_value(settings, "screen_knockout_below"))
		),
		min_amount=flt(_value(settings, "funnel_min_amount")),
		stages=get_stages(),
	)


# -- Key Account Settings.validate ------------------------------------------------------------------
def validate_settings(settings) -> None:
	"""Every funnel number of the settings in range and the grade bands nested; messages name the field."""

	def label(fieldname: str) -> str:
		return _(settings.meta.get_label(fieldname))

	for grade in core.BANDED_GRADES:
		days_field = f"grade_{grade.lower()}_within_days"
		probability_field = f"grade_{grade.lower()}_min_probability"
		days = settings.get(days_field)
		if days is not None and not 0 <= cint(days) <= core.MAX_BAND_DAYS:
			frappe.throw(
				_("{0} must be a whole number of days from 0 to {1}; it is {2}.").format(
					frappe.bold(label(days_field)), core.MAX_BAND_DAYS, days
				),
				title=_("Invalid Grade Band"),
			)
		probability = settings.get(probability_field)
		if probability is not None and not 0 <= flt(probability) <= 100:
			frappe.throw(
				_("{0} must be from 0 to 100; it is {1}.").format(
					frappe.bold(label(probability_field)), probability
				),
				title=_("Invalid Grade Band"),
			)
	for problem in core.validate_bands(bands_from(settings)):
		lower, upper = problem.grade.lower(), (problem.other or "").lower()
		if problem.kind == core.BAND_DAYS_ORDER:
			message = _(
				"{0} ({1}) cannot be shorter than {2} ({3}): grade bands overlap unless each grade's band holds the one above it."
			).format(
				frappe.bold(label(f"grade_{lower}_within_days")),
				settings.get(f"grade_{lower}_within_days"),
				frappe.bold(label(f"grade_{upper}_within_days")),
				settings.get(f"grade_{upper}_within_days"),
			)
		elif problem.kind == core.BAND_PROBABILITY_ORDER:
			message = _(
				"{0} ({1}%) cannot be higher than {2} ({3}%): grade bands overlap unless each grade's band holds the one above it."
			).format(
				frappe.bold(label(f"grade_{lower}_min_probability")),
				flt(settings.get(f"grade_{lower}_min_probability")),
				frappe.bold(label(f"grade_{upper}_min_probability")),
				flt(settings.get(f"grade_{upper}_min_probability")),
			)
		elif problem.kind == core.BAND_SAME:
			message = _(
				"Grade {0} has the same band as grade {1}, so no opportunity could be graded {0}: widen {2} or lower {3}."
			).format(
				problem.grade,
				problem.other,
				frappe.bold(label(f"grade_{lower}_within_days")),
				frappe.bold(label(f"grade_{lower}_min_probability")),
			)
		else:
			message = _("The grade bands are invalid: {0}.").format(problem.kind)
		frappe.throw(message, title=_("Invalid Grade Band"))

	rule = core.ScreenRule(
		cint(_value(settings, "screen_pass_total")), cint(_value(settings, "screen_knockout_below"))
	)
	for fieldname in core.validate_screen_rule(rule):
		bounds = {
			"pass_total": (len(core.RISK_FACTORS) * core.SCORE_MIN, core.MAX_SCREEN_TOTAL),
			"knockout_below": (0, core.SCORE_MAX),
		}[fieldname]
		frappe.throw(
			_("{0} must be a whole number from {1} to {2}; it is {3}.").format(
				frappe.bold(label(f"screen_{fieldname}")), *bounds, settings.get(f"screen_{fieldname}")
			),
			title=_("Invalid Risk Screen"),
		)
	if flt(settings.get("funnel_min_amount")) < 0:
		frappe.throw(
			_("{0} cannot be negative; it is {1}. Enter 0 to keep every opportunity in the funnel.").format(
				frappe.bold(label("funnel_min_amount")), flt(settings.get("funnel_min_amount"))
			),
			title=_("Invalid Amount"),
		)
