# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt


class KeyAccountSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		a_threshold: DF.Percent
		auto_create_profiles: DF.Check
		b_threshold: DF.Percent
		basis: DF.Literal["Gross Profit", "Net Revenue"]
		company: DF.Link | None
		last_run_on: DF.Datetime | None
		last_run_status: DF.Data | None
		last_run_summary: DF.SmallText | None
		period_months: DF.Int
		schedule: DF.Literal["Daily", "Weekly", "Monthly"]
	# end: auto-generated types

	def validate(self):
		self.validate_thresholds()
		if cint(self.period_months) < 1:
			frappe.throw(
				_(
					"Period (Months) must be at least 1; it is {0}. Enter the number of trailing months to classify on."
				).format(self.period_months),
				title=_("Invalid Period"),
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
