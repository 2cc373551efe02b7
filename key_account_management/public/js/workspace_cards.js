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
