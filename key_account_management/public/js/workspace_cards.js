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
// to format the tooltip's number and for the filter button): the meta of the profile, the visit, the
// request and ERPNext's Opportunity was most of what the workspace waited for on its first load. The
// tooltip formats the value by its field once that meta is in the browser (a form or the filters load it).
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

		// Frappe builds a document chart's filter group (which loads the doctype's meta) when the chart
		// is drawn; here on the first click of its filter button, then opens it
		create_filter_group_and_add_filters() {
			const doctype = this.chart_doc && this.chart_doc.document_type;
			if (!doctype || !this.filter_button || (locals.DocType && locals.DocType[doctype])) {
				return super.create_filter_group_and_add_filters();
			}
			this.filter_button.one("click", () => {
				frappe.model.with_doctype(doctype, () => {
					super.create_filter_group_and_add_filters();
					this.filter_button.trigger("click");
				});
			});
		}

		// Frappe asks the server for the chart's document again after each fetch, only to show "Last
		// synced": one more request per chart after its data, which the first load waited for. The widget
		// fetches with refresh, so the data was computed just now (on the replica too, where Frappe does
		// not write last_synced_on). A chart source's chart (Custom) never had a "Last synced" line.
		update_chart_object() {
			if (!this.chart_doc || !this.subtitle_field) return super.update_chart_object();
			if (this.chart_doc.chart_type === "Custom") return;
			this.chart_doc.last_synced_on = frappe.datetime.system_datetime();
			this.update_last_synced();
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

// The workspace asks for each of its number cards and charts in a request of its own (a dozen requests,
// a browser makes six at a time): the ones asked for in the same moment come in one request instead
// (key_account_management.access.workspace.widget_docs), then Frappe's own loader finds them in place.
(() => {
	if (!frappe.model || !frappe.model.with_doc || frappe.model.with_doc.kam_batched) return;
	const WIDGETS = ["Number Card", "Dashboard Chart"];
	const with_doc = frappe.model.with_doc;
	let batch = null;

	const in_place = (doctype, name) =>
		locals[doctype] && locals[doctype][name] && frappe.model.get_docinfo(doctype, name);

	const load = (pairs) =>
		frappe
			.xcall("key_account_management.access.workspace.widget_docs", { names: pairs })
			.then((docs) => {
				frappe.model.sync(docs || []);
				// with_doc takes a document with its docinfo as loaded; a form opened later asks again
				const faked = [];
				for (const doc of docs || []) {
					frappe.model.docinfo[doc.doctype] = frappe.model.docinfo[doc.doctype] || {};
					if (!frappe.model.docinfo[doc.doctype][doc.name]) {
						frappe.model.docinfo[doc.doctype][doc.name] = {};
						faked.push([doc.doctype, doc.name]);
					}
				}
				return faked;
			})
			.catch(() => []);

	frappe.model.with_doc = function (doctype, name, callback) {
		if (!WIDGETS.includes(doctype) || !name || in_place(doctype, name)) {
			return with_doc.apply(this, arguments);
		}
		if (!batch) {
			const pairs = [];
			batch = { pairs, loaded: new Promise((resolve) => setTimeout(resolve, 0)).then(() => {
				batch = null;
				return load(pairs);
			}) };
		}
		batch.pairs.push([doctype, name]);
		return batch.loaded.then((faked) =>
			with_doc.call(frappe.model, doctype, name, callback).then((doc) => {
				for (const [dt, dn] of faked) {
					if (dt === doctype && dn === name) delete frappe.model.docinfo[dt][dn];
				}
				return doc;
			})
		);
	};
	frappe.model.with_doc.kam_batched = true;
})();
