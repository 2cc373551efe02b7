// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.query_reports["Hospitality Spend"] = {
	filters: [
		key_account_management.reports.company_filter({ reqd: 1 }),
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "account_manager",
			label: __("Account Manager"),
			fieldtype: "Link",
			options: "User",
		},
		{
			fieldname: "abc_class",
			label: __("Class"),
			fieldtype: "Select",
			options: ["", "A", "B", "C"],
		},
		{
			fieldname: "key_account",
			label: __("Key Account"),
			fieldtype: "Link",
			options: "Key Account Profile",
		},
		{
			fieldname: "request_type",
			label: __("Request Type"),
			fieldtype: "Select",
			options: [
				"",
				"Meal",
				"Entertainment",
				"Gift",
				"Travel/Hosting",
				"Reception/Site Visit",
			],
		},
	],
	tree: true,
	name_field: "row_id",
	parent_field: "parent_row",
	initial_depth: 1,
	formatter(value, row, column, data, default_formatter) {
		// text users typed (names, flags) is shown as text, never as markup
		value = default_formatter(key_account_management.reports.as_text(value, column), row, column, data);
		if (!data) return value;
		if (data.is_official && ["contact_name", "contact", "spend"].includes(column.fieldname)) {
			value = `<span style="color: var(--red-600); font-weight: bold;">${value}</span>`;
		}
		if (column.fieldname === "is_official" && data.is_official) {
			value = `<span class="indicator-pill red">${__("Official")}</span>`;
		}
		if (!data.indent && column.fieldname !== "is_official") {
			value = `<b>${value}</b>`;
		}
		return value;
	},
};
