// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.query_reports["Visit Compliance"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -3), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "account_manager", label: __("Account Manager"), fieldtype: "Link", options: "User" },
		{ fieldname: "abc_class", label: __("Class"), fieldtype: "Select", options: ["", "A", "B", "C"] },
	],
	// text users typed (names, flags) is shown as text, never as markup
	formatter: key_account_management.reports.formatter,
};
