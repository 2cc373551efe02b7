"""Key Account Settings as the jobs, reports and forms read it (docs/DOMAIN.md §2, §3, §5, §6).

The readers every capability shares: :func:`get_settings` (the classification's settings with their
defaults resolved), :func:`number_setting` (one numeric setting, checked against its range in
``core.settings``), :func:`number_problem_message` (a range problem as the desk shows it) and
:func:`positive_or_none` (a limit left empty). The Key Account Settings controller keeps only the
document's own validation and calls these.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, flt

from key_account_management.core import settings as rules

SETTINGS = "Key Account Settings"


def get_settings():
	"""The settings with defaults resolved (company falls back to the site's default company)."""
	settings = frappe.get_cached_doc(SETTINGS)
	company = settings.company or frappe.defaults.get_global_default("company")
	if not company:
		company = frappe.db.get_value("Company", {}, "name", order_by="creation asc")
	return frappe._dict(
		basis=settings.basis or "Gross Profit",
		period_months=cint(settings.period_months) or 12,
		a_threshold=flt(settings.a_threshold) or 80.0,
		b_threshold=flt(settings.b_threshold) or 95.0,
		company=company,
		schedule=settings.schedule or "Weekly",
		auto_create_profiles=cint(settings.auto_create_profiles),
		classify_groups_as_one=cint(settings.get("classify_groups_as_one")),
		last_run_on=settings.last_run_on,
	)


def number_setting(fieldname: str, settings=None) -> float:
	"""A numeric setting as the jobs and forms use it: empty or 0 stands for the shipped default (as
	before the settings were validated), and a value outside its range, stored before the range was
	enforced, stops the caller with a message naming the field rather than a bare ValueError deep in
	the rules."""
	settings = settings or frappe.get_cached_doc(SETTINGS)
	meta = frappe.get_meta(SETTINGS)
	value = settings.get(fieldname)
	if not flt(value) and rules.RULES[fieldname].minimum > 0:
		field = meta.get_field(fieldname)
		value = field.default if field else None
	problem = rules.check_number(fieldname, value, rules.RULES[fieldname])
	if problem:
		frappe.throw(
			_("{0} Correct it in Key Account Settings.").format(number_problem_message(meta, problem)),
			title=_("Invalid Settings"),
		)
	return flt(value)


def number_problem_message(meta, problem) -> str:
	"""The translated message of a core.settings problem, naming the field (and the table row)."""
	if problem.table:
		child = frappe.get_meta(meta.get_field(problem.table).options)
		label = _("Row {0} of {1}: {2}").format(
			problem.row, _(meta.get_label(problem.table)), _(child.get_label(problem.field))
		)
	else:
		label = _(meta.get_label(problem.field))
	if problem.code == rules.NO_WEIGHT:
		return _("The health weights are all 0: give at least one part of the health score a weight above 0.")
	if problem.code == rules.NOT_A_NUMBER:
		rule = (
			rules.TABLE_RULES[problem.table][problem.field] if problem.table else rules.RULES[problem.field]
		)
		if rule.whole:
			return _("{0} must be a whole number; it is {1}.").format(frappe.bold(label), problem.value)
		return _("{0} must be a number; it is {1}.").format(frappe.bold(label), problem.value)
	if problem.code == rules.TOO_HIGH:
		return _("{0} must be at most {1}; it is {2}.").format(
			frappe.bold(label), frappe.format(problem.bound), problem.value
		)
	if problem.bound == 0:
		return _("{0} cannot be negative; it is {1}.").format(frappe.bold(label), problem.value)
	return _("{0} must be at least {1}; it is {2}.").format(
		frappe.bold(label), frappe.format(problem.bound), problem.value
	)


def positive_or_none(value) -> float | None:
	"""A limit as the rules take it: Currency fields store 0 when left empty, and 0 means "no limit"."""
	return flt(value) if flt(value) > 0 else None


def whitespace_level():
	"""Key Account Settings' whitespace item group level as stored (1 when empty; checked by
	whitespace/levels.py against the item group tree, docs/DOMAIN.md §11)."""
	value = frappe.get_cached_doc(SETTINGS).get("whitespace_item_group_level")
	return 1 if value in (None, "", 0) else value
