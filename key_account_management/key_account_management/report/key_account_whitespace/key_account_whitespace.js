// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.query_reports["Key Account Whitespace"] = {
	filters: [
		key_account_management.reports.company_filter({ reqd: 1 }),
		{ fieldname: "account_manager", label: __("Account Manager"), fieldtype: "Link", options: "User" },
		{
			fieldname: "item_group_level",
			label: __("Item Group Level"),
			fieldtype: "Int",
			description: __("Empty: the level in Key Account Settings"),
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(key_account_management.reports.as_text(value, column), row, column, data);
		// the item group columns hold the status in the user's language
		const colours = {
			[__("Bought", null, "Whitespace")]: "green",
			[__("In pipeline", null, "Whitespace")]: "blue",
			[__("Lost", null, "Whitespace")]: "red",
			[__("White", null, "Whitespace")]: "gray",
		};
		const colour = column.fieldname.startsWith("ig_") && data ? colours[data[column.fieldname]] : null;
		if (colour) value = `<span class="indicator-pill ${colour}">${value}</span>`;
		return value;
	},
};
