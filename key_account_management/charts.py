"""What the app's Dashboard Chart Sources share: the ``get`` Frappe calls.

A custom Dashboard Chart Source is a module with a whitelisted ``get`` that Frappe calls with the chart's
name, filters, dates and timespan. The app's sources use none of them (they count what the user may see
now), so each source writes only what it counts and :func:`chart_source` gives it that signature.
"""

from __future__ import annotations

from collections.abc import Callable

import frappe
from frappe import _
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as core_chart_get
from frappe.desk.doctype.number_card.number_card import get_result as core_card_result
from frappe.utils import escape_html


def chart_source(count: Callable[[], dict]) -> Callable[..., dict]:
	"""The ``get(chart_name, chart, no_cache, filters, ...)`` of a Dashboard Chart Source that returns
	``count()``; whitelist the result in the source's module."""

	def get(
		chart_name=None,
		chart=None,
		no_cache=None,
		filters=None,
		from_date=None,
		to_date=None,
		timespan=None,
		time_interval=None,
		heatmap_year=None,
		refresh=None,
	) -> dict:
		return count()

	get.__doc__ = count.__doc__
	# a chart source only counts: with read_from_replica it reads the replica (README "Scaling out")
	return frappe.read_only()(get)


# The workspace's Document Type number cards and Count / Group By charts go through these two core
# methods, which Frappe 15 does not send to the replica: here they read it when the site has one
# (hooks.py override_whitelisted_methods). Neither changes what the core method answers.


@frappe.whitelist()
@frappe.read_only()
def number_card_result(doc, filters, to_date=None):
	"""frappe.desk.doctype.number_card.number_card.get_result, on the replica when configured."""
	return core_card_result(doc, filters, to_date)


@frappe.whitelist()
@frappe.read_only()
def dashboard_chart_get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
):
	"""frappe.desk.doctype.dashboard_chart.dashboard_chart.get, on the replica when configured: its cache
	wrapper then skips writing the chart's ``last_synced_on`` (it does so under frappe.flags.read_only),
	a write the read-only replica refuses; the chart's data is cached in Redis as before.

	A saved chart is computed only for a user who may read it (its roles, Frappe's has_permission of
	Dashboard Chart), which the core method does not ask: "Key Account Value by ABC Class" asked by an
	approver failed in SQL (the sum's field is above the approver's permission level) instead of
	refusing."""
	if chart_name and not frappe.has_permission("Dashboard Chart", "read", chart_name):
		frappe.throw(
			_("You are not permitted to view the chart {0}").format(frappe.bold(escape_html(chart_name))),
			frappe.PermissionError,
		)
	on_replica = bool(frappe.conf.read_from_replica)
	before = frappe.flags.read_only
	frappe.flags.read_only = before or on_replica
	try:
		return core_chart_get(
			chart_name=chart_name,
			chart=chart,
			no_cache=no_cache,
			filters=filters,
			from_date=from_date,
			to_date=to_date,
			timespan=timespan,
			time_interval=time_interval,
			heatmap_year=heatmap_year,
			refresh=refresh,
		)
	finally:
		frappe.flags.read_only = before
