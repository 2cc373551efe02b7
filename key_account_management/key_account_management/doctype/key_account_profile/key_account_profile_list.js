// the list reads by people's names and shows each thing once: the customer's name is the title (the ID is
// the same name, so no ID column), the class is the status indicator, the account manager a full name
function kam_person_column(fieldname, name_field) {
	return (value, df, doc) => {
		const shown = frappe.utils.escape_html(doc[name_field] || value || "");
		const filter = frappe.utils.escape_html(`${fieldname},=,${value || ""}`);
		return `<span class="ellipsis" title="${frappe.utils.escape_html(__(df.label))}: ${shown}">
			<a class="filterable ellipsis" data-filter="${filter}">${shown}</a></span>`;
	};
}

frappe.listview_settings["Key Account Profile"] = {
	add_fields: ["abc_class", "override_class", "account_manager_name"],
	hide_name_column: true,
	formatters: {
		account_manager: kam_person_column("account_manager", "account_manager_name"),
	},
	get_indicator(doc) {
		const colour = { A: "green", B: "blue", C: "orange" }[doc.abc_class];
		return doc.abc_class
			? [__("Class {0}", [doc.abc_class]), colour, "abc_class,=," + doc.abc_class]
			: [__("Unclassified"), "gray", "abc_class,is,not set"];
	},
};
