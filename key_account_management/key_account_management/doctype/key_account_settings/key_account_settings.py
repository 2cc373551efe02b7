# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from key_account_management.messages import translate


class KeyAccountSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_management.key_account_management.doctype.hospitality_approval_band.hospitality_approval_band import (
			HospitalityApprovalBand,
		)
		from key_account_management.key_account_management.doctype.hospitality_event_limit.hospitality_event_limit import (
			HospitalityEventLimit,
		)

		a_threshold: DF.Percent
		account_budget_amount: DF.Currency
		account_budget_percent: DF.Percent
		approval_bands: DF.Table[HospitalityApprovalBand]
		auto_apply_stage: DF.Check
		auto_create_profiles: DF.Check
		b_threshold: DF.Percent
		basis: DF.Literal["Gross Profit", "Net Revenue"]
		cadence_a_days: DF.Int
		cadence_b_days: DF.Int
		cadence_c_days: DF.Int
		company: DF.Link | None
		default_yearly_income: DF.Currency
		event_limits: DF.Table[HospitalityEventLimit]
		follow_up_days: DF.Int
		funnel_min_amount: DF.Currency
		grade_a_min_probability: DF.Percent
		grade_a_within_days: DF.Int
		grade_b_min_probability: DF.Percent
		grade_b_within_days: DF.Int
		grade_c_min_probability: DF.Percent
		grade_c_within_days: DF.Int
		interruption_days: DF.Int
		last_run_on: DF.Datetime | None
		last_run_status: DF.Data | None
		last_run_summary: DF.SmallText | None
		per_recipient_per_year: DF.Currency
		period_months: DF.Int
		reapproval_tolerance_percent: DF.Percent
		receipt_required_above: DF.Currency
		schedule: DF.Literal["Daily", "Weekly", "Monthly"]
		screen_knockout_below: DF.Int
		screen_pass_total: DF.Int
		weight_coverage: DF.Int
		weight_recency: DF.Int
		weight_revenue_trend: DF.Int
		weight_sow_trend: DF.Int
		weight_visits: DF.Int
	# end: auto-generated types

	def validate(self):
		from key_account_management.funnel.config import validate_settings as validate_funnel

		self.validate_numbers()
		self.validate_thresholds()
		self.validate_approval_bands()
		validate_funnel(self)
		if cint(self.period_months) < 1:
			frappe.throw(
				_(
					"Period (Months) must be at least 1; it is {0}. Enter the number of trailing months to classify on."
				).format(self.period_months),
				title=_("Invalid Period"),
			)

	def validate_numbers(self):
		"""Every number in its range (core.settings), every problem told at once, each naming its field."""
		from key_account_management.core import settings as rules

		for field in rules.RULES:
			# a setting added after the site was set up has no stored value: it starts at its default
			if self.get(field) is None and self.meta.get_field(field):
				self.set(field, self.meta.get_field(field).default or 0)
		problems = rules.validate_numbers(
			{field: self.get(field) for field in rules.RULES if self.meta.get_field(field)},
			{table: [row.as_dict() for row in self.get(table) or []] for table in rules.TABLE_RULES},
		)
		if problems:
			frappe.throw(
				"<br>".join(number_problem_message(self.meta, problem) for problem in problems),
				title=_("Invalid Settings"),
			)

	def validate_thresholds(self):
		for fieldname in ("a_threshold", "b_threshold"):
			value = flt(self.get(fieldname))
			if not 0 < value <= 100:
				frappe.throw(
					_("{0} must be above 0 and at most 100; it is {1}.").format(
						_(self.meta.get_label(fieldname)), value
					),
					title=_("Invalid Threshold"),
				)
		if flt(self.a_threshold) >= flt(self.b_threshold):
			frappe.throw(
				_(
					"A Threshold ({0}%) must be lower than B Threshold ({1}%): A is the top of the Pareto curve."
				).format(flt(self.a_threshold), flt(self.b_threshold)),
				title=_("Invalid Threshold"),
			)

	def validate_approval_bands(self):
		from key_account_management.core import hospitality as core
		from key_account_management.hospitality import _positive_or_none

		levels = (("Manager", "manager"), ("Director", "director"), ("Finance", "finance"))
		bands = tuple(
			core.ApprovalBand(
				_positive_or_none(row.up_to_amount),
				tuple(level for level, fieldname in levels if cint(row.get(fieldname))),
			)
			for row in sorted(self.approval_bands or [], key=lambda row: row.idx)
		)
		# an empty table means the default bands
		if bands and (problems := core.validate_bands(bands)):
			frappe.throw(
				_("The approval levels by amount cannot decide every amount: {0}.").format(
					"; ".join(translate(problem) for problem in problems)
				),
				title=_("Invalid Approval Bands"),
			)


def number_problem_message(meta, problem) -> str:
	"""The translated message of a core.settings problem, naming the field (and the table row)."""
	from key_account_management.core import settings as rules

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


def number_setting(fieldname: str, settings=None) -> float:
	"""A numeric setting as the jobs and forms use it: empty or 0 stands for the shipped default (as
	before the settings were validated), and a value outside its range, stored before the range was
	enforced, stops the caller with a message naming the field rather than a bare ValueError deep in
	the rules."""
	from key_account_management.core import settings as rules

	settings = settings or frappe.get_cached_doc("Key Account Settings")
	meta = frappe.get_meta("Key Account Settings")
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


def get_settings():
	"""The settings with defaults resolved (company falls back to the site's default company)."""
	settings = frappe.get_cached_doc("Key Account Settings")
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
		last_run_on=settings.last_run_on,
	)
