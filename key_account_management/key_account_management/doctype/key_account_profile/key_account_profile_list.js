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

// "Days Since Last Order" is counted when shown, not stored (docs/DOMAIN.md §2): a list filter on it
// ("more than 90 days") is sent as the same filter on the last order date
const KAM_DAYS_ON_DATE = { ">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=", "!=": "!=" };
function kam_days_filter_on_date(filter) {
	const [doctype, fieldname, operator, value] = filter;
	if (fieldname !== "days_since_last_order" || !(operator in KAM_DAYS_ON_DATE)) {
		return [filter];
	}
	const day = frappe.datetime.add_days(frappe.datetime.get_today(), -cint(value));
	const on_date = [doctype, "last_order_date", KAM_DAYS_ON_DATE[operator], day];
	// Frappe reads an empty date as the earliest day; an account without an order counts 0 days
	return operator.startsWith(">") ? [on_date, [doctype, "last_order_date", "is", "set"]] : [on_date];
}

frappe.listview_settings["Key Account Profile"] = {
	onload(listview) {
		const filters_for_args = listview.get_filters_for_args.bind(listview);
		listview.get_filters_for_args = () => filters_for_args().flatMap(kam_days_filter_on_date);
	},
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
