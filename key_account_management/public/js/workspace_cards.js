// Number cards of Key Account Management that answer with a currency of their own and a budget
// (key_account_management.hospitality.cards.hospitality_spend_vs_budget): the amount in the company's
// currency, "spend of budget (percent)", instead of Frappe's default currency and the bare spend.
(() => {
	const factory = frappe.widget && frappe.widget.widget_factory;
	if (!factory || !factory.number_card) return;

	factory.number_card = class KAMNumberCard extends factory.number_card {
		get_number_for_custom_card(res) {
			if (!res || typeof res !== "object" || !res.kam_currency) {
				return super.get_number_for_custom_card(res);
			}
			const money = (value) => format_currency(value, res.kam_currency, 0);
			this.number = res.value;
			this.formatted_number = res.kam_budget
				? `${__("{0} of {1}", [money(res.value), money(res.kam_budget)])}
					<span class="text-muted" style="font-size: var(--text-base)">
						(${format_number(res.kam_percent, null, 1)} %)</span>`
				: money(res.value);
		}
	};
})();

// Charts of the workspace draw without first loading their doctype's whole form meta (Frappe 15 loads it
// only to format the tooltip's number): the meta of the profile, the visit, the request and ERPNext's
// Opportunity was most of what the workspace waited for on its first load. The tooltip still formats the
// value by its field once that meta is in the browser (opening a form or the chart's filters loads it).
(() => {
	const factory = frappe.widget && frappe.widget.widget_factory;
	if (!factory || !factory.chart) return;

	factory.chart = class KAMChart extends factory.chart {
		async render() {
			const doctype = this.chart_doc && this.chart_doc.document_type;
			if (!doctype || (locals.DocType && locals.DocType[doctype])) return super.render();
			this.kam_doctype = doctype;
			this.chart_doc.document_type = null;
			try {
				return await super.render();
			} finally {
				this.chart_doc.document_type = doctype;
			}
		}

		get_chart_args() {
			const args = super.get_chart_args();
			const doctype = this.kam_doctype;
			const fieldname = this.chart_doc && this.chart_doc.value_based_on;
			if (doctype && fieldname) {
				args.tooltipOptions = {
					formatTooltipY: (value) => {
						const df = locals.DocType && locals.DocType[doctype]
							? frappe.meta.get_docfield(doctype, fieldname)
							: null;
						return frappe.format(
							value,
							{ fieldtype: df ? df.fieldtype : "Float", options: df ? df.options : null },
							{ always_show_decimals: true, inline: true }
						);
					},
				};
			}
			return args;
		}
	};
})();
