frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Customers by ABC Class"] = {
	method: "key_account_management.key_account_management.dashboard_chart_source.customers_by_abc_class.customers_by_abc_class.get",
	filters: [],
};
