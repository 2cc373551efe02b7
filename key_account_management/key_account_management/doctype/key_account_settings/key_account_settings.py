# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from key_account_management.messages import translate
from key_account_management.settings import number_problem_message, positive_or_none


class KeyAccountSettings(Document):
	"""The app's settings: here the document's own validation (docs/DOMAIN.md §2, §5, §6, §7); its
	readers (get_settings, number_setting) are in key_account_management/settings.py."""

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
		classify_groups_as_one: DF.Check
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
		whitespace_item_group_level: DF.Int
	# end: auto-generated types

	def validate(self):
		from key_account_management.funnel.config import validate_settings as validate_funnel
		from key_account_management.whitespace.levels import validate_settings as validate_whitespace_level

		self.validate_numbers()
		self.validate_thresholds()
		self.validate_approval_bands()
		validate_funnel(self)
		validate_whitespace_level(self)
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

		levels = (("Manager", "manager"), ("Director", "director"), ("Finance", "finance"))
		bands = tuple(
			core.ApprovalBand(
				positive_or_none(row.up_to_amount),
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
