// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.query_reports["ABC Analysis"] = {
	filters: [
		key_account_management.reports.company_filter({ reqd: 1 }),
		{
			fieldname: "basis",
			label: __("Basis"),
			fieldtype: "Select",
			options: ["Gross Profit", "Net Revenue"],
			default: "Gross Profit",
		},
		{
			fieldname: "period_months",
			label: __("Period (Months)"),
			fieldtype: "Int",
			default: 12,
		},
		{
			fieldname: "to_date",
			label: __("Up To"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "abc_class",
			label: __("Class"),
			fieldtype: "Select",
			options: ["", "A", "B", "C"],
		},
	],
	formatter(value, row, column, data, default_formatter) {
		// text users typed (names, flags) is shown as text, never as markup
		value = default_formatter(key_account_management.reports.as_text(value, column), row, column, data);
		if ((column.fieldname === "abc_class" || column.fieldname === "previous_class") && data) {
			const colour = { A: "green", B: "blue", C: "orange" }[data[column.fieldname]];
			if (colour) value = `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		return value;
	},
};
