// What the app's script reports share (loaded in the desk through app_include_js): the key-account company
// filter and the formatter that shows text users typed as text.
frappe.provide("key_account_management.reports");

// the key-account company (Key Account Settings), not ERPNext's default company; `extra` adds e.g. reqd
key_account_management.reports.company_filter = function (extra) {
	return Object.assign(
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: (frappe.boot.kam && frappe.boot.kam.company) || frappe.defaults.get_user_default("Company"),
		},
		extra
	);
};

// text users typed (names, flags) is shown as text, never as markup
key_account_management.reports.as_text = function (value, column) {
	if (typeof value === "string" && ["Data", "Small Text", "Text"].includes(column.fieldtype)) {
		return frappe.utils.escape_html(value);
	}
	return value;
};

key_account_management.reports.formatter = function (value, row, column, data, default_formatter) {
	return default_formatter(key_account_management.reports.as_text(value, column), row, column, data);
};
