"""Submitted visits per month, from the kept counts (visits/month_counts.py), drawn as Frappe's own
Count chart on Visit Record draws them (the same periods, labels and empty months), for the visits the
user may read: every account's for a director, their own accounts' for a key account manager."""

import frappe
from frappe import _
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get_result
from frappe.utils import getdate, now_datetime
from frappe.utils.dateutils import get_from_date_from_timespan, get_period, get_period_beginning

from key_account_management.visits.month_counts import monthly_visits

CHART = "Visits per Month"
# what kept monthly counts can answer; a day or a week cannot be told from them
INTERVALS = ("Monthly", "Quarterly", "Yearly")


@frappe.whitelist()
@frappe.read_only()
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
	# not through frappe.utils.dashboard.cache_source: its cache is one per chart, not one per user
	if not frappe.has_permission("Visit Record", "read"):
		frappe.throw(_("Not permitted to see visits."), frappe.PermissionError)
	saved = frappe.get_cached_doc("Dashboard Chart", chart_name or CHART)
	timespan = timespan or saved.timespan or "Last Year"
	interval = next(i for i in (time_interval, saved.time_interval, "Monthly") if i in INTERVALS)
	to_date = getdate(to_date) if to_date else now_datetime()
	if from_date:
		from_date = getdate(from_date)
	else:
		from_date = get_period_beginning(get_from_date_from_timespan(to_date, timespan), interval)
	rows = [(month, 0, visits) for month, visits in monthly_visits(from_date, getdate(to_date))]
	result = get_result(rows, interval, from_date, to_date, "Count")
	return {
		"labels": [get_period(period, interval) for period, _value in result],
		"datasets": [{"name": _(CHART), "values": [value for _period, value in result]}],
	}
