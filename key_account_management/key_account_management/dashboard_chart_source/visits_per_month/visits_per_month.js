frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Visits per Month"] = {
	method: "key_account_management.key_account_management.dashboard_chart_source.visits_per_month.visits_per_month.get",
	filters: [],
};
