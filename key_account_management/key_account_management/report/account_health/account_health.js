// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.query_reports["Account Health"] = {
	filters: [
		{ fieldname: "account_manager", label: __("Account Manager"), fieldtype: "Link", options: "User" },
		{ fieldname: "abc_class", label: __("Class"), fieldtype: "Select", options: ["", "A", "B", "C"] },
		{
			fieldname: "account_status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "Active", "At Risk", "Interrupted", "Lost"],
		},
		{
			fieldname: "at_risk_only",
			label: __("At Risk, Interrupted or Lost Only"),
			fieldtype: "Check",
			default: 1,
		},
	],
	formatter(value, row, column, data, default_formatter) {
		// text users typed (names, flags) is shown as text, never as markup
		value = default_formatter(key_account_management.reports.as_text(value, column), row, column, data);
		if (column.fieldname === "health_score" && data && data.health_score !== undefined) {
			const color = data.health_score < 40 ? "red" : data.health_score < 70 ? "orange" : "green";
			value = `<span style="color: var(--${color}-600); font-weight: 600">${value}</span>`;
		}
		return value;
	},
};
