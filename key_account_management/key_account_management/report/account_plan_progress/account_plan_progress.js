// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.query_reports["Account Plan Progress"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.boot.kam && frappe.boot.kam.company },
		{ fieldname: "account_manager", label: __("Account Manager"), fieldtype: "Link", options: "User" },
		{ fieldname: "plan_status", label: __("Status"), fieldtype: "Select", options: ["", "At risk", "Behind", "On track", "Achieved"] },
		{ fieldname: "include_closed", label: __("Include Closed Plans"), fieldtype: "Check" },
	],
	formatter(value, row, column, data, default_formatter) {
		// text users typed (objectives, names) is shown as text, never as markup
		if (typeof value === "string" && ["Data", "Small Text", "Text"].includes(column.fieldtype)) {
			value = frappe.utils.escape_html(value);
		}
		if (column.fieldname === "measure_status" && value) {
			const colour = { "At risk": "red", Behind: "orange", "On track": "blue", Achieved: "green" }[data.measure_status_value];
			return `<span class="indicator-pill ${colour || "gray"}">${frappe.utils.escape_html(value)}</span>`;
		}
		return default_formatter(value, row, column, data);
	},
};
