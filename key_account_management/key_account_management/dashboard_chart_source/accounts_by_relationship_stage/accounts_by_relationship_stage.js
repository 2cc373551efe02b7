frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Accounts by Relationship Stage"] = {
	method: "key_account_management.key_account_management.dashboard_chart_source.accounts_by_relationship_stage.accounts_by_relationship_stage.get",
	filters: [],
};
