// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.query_reports["Key Account Funnel"] = {
	filters: [
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			options: ["Funnel", "Forecast"],
			default: "Funnel",
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["", "Account Manager", "Key Account"],
		},
		key_account_management.reports.company_filter(),
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), 6),
		},
		{ fieldname: "account_manager", label: __("Account Manager"), fieldtype: "Link", options: "User" },
		{
			fieldname: "key_account",
			label: __("Key Account"),
			fieldtype: "Link",
			options: "Key Account Profile",
		},
		{ fieldname: "abc_class", label: __("Class"), fieldtype: "Select", options: ["", "A", "B", "C"] },
		{
			fieldname: "grade",
			label: __("Opportunity Grade"),
			fieldtype: "Select",
			options: ["", "A", "B", "C", "D"],
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "conversion" && data && data.conversion != null) {
			// against the rule of thumb: 10 -> 5 -> 3 is 50 % then 60 %
			const colour = data.conversion >= 50 ? "green" : data.conversion >= 30 ? "orange" : "red";
			value = `<span style="color: var(--${colour}-600)">${value}</span>`;
		}
		return value;
	},
};
