// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.query_reports["Buying Center Coverage"] = {
	filters: [
		{ fieldname: "account_manager", label: __("Account Manager"), fieldtype: "Link", options: "User" },
		{ fieldname: "abc_class", label: __("Class"), fieldtype: "Select", options: ["", "A", "B", "C"] },
		{
			fieldname: "flag",
			label: __("Flag", null, "Buying Center Coverage"),
			fieldtype: "Select",
			options: ["", "No Decision Maker", "Decision Maker Opposes", "Single-Threaded", "No Insider", "Key Person Left"],
		},
	],
	// text users typed (names, flags) is shown as text, never as markup
	formatter: key_account_management.reports.formatter,
};
