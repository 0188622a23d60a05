import { TemplateIndex, TemplateIndexCache, templateVersion, type TemplateDocument } from '../../../../lib/templates/library';

function documentOf(fields: Partial<TemplateDocument> & { id: string }): TemplateDocument {
	const template = { name: fields.id, description: '', tags: [], required: [], body: 'Hello', ...fields };
	return { ...template, version: templateVersion(template), source: 'workflow', updatedAt: 0 };
}

const library = [
	documentOf({ id: 'invoice-reminder', name: 'Invoice reminder', description: 'Sent when an invoice is overdue', tags: ['billing', 'email'], body: 'Dear {{customer}}, your invoice {{number}} is due.' }),
	documentOf({ id: 'order-confirmation', name: 'Order confirmation', description: 'Confirms an order', tags: ['Sales', 'email'], body: 'Thank you for your order.' }),
	documentOf({ id: 'payment-receipt', name: 'Payment receipt', description: 'Receipt for a payment', tags: ['billing', 'sms'], body: 'We received your payment for the reminder fee.' }),
	documentOf({ id: 'welcome', name: 'Welcome', description: 'First message to a new customer', tags: ['onboarding'], body: 'Welcome aboard, {{name}}!' }),
	documentOf({ id: 'welcome-de', name: 'welcome', description: 'Erste Nachricht', tags: ['onboarding', 'de'], body: 'Willkommen, {{name}}!' }),
];

describe('TemplateIndex', () => {
	const index = new TemplateIndex(library);

	it('finds by id exactly', () => {
		expect(index.byId('welcome')).toBe(library[3]);
		expect(index.byId('Welcome')).toBeUndefined();
		expect(index.size).toBe(5);
	});

	it('finds by name ignoring case and surrounding spaces; names need not be unique', () => {
		expect(index.byName('  invoice REMINDER ')).toEqual([library[0]]);
		expect(index.byName('Welcome').map((document) => document.id)).toEqual(['welcome', 'welcome-de']);
		expect(index.byName('invoice')).toEqual([]);
	});

	it('finds by tags, all or any, ignoring case, in library order', () => {
		expect(index.byTags(['billing'], 'all').map((document) => document.id)).toEqual(['invoice-reminder', 'payment-receipt']);
		expect(index.byTags(['BILLING', 'email'], 'all').map((document) => document.id)).toEqual(['invoice-reminder']);
		expect(index.byTags(['sms', 'sales'], 'any').map((document) => document.id)).toEqual(['order-confirmation', 'payment-receipt']);
		expect(index.byTags(['billing', 'nope'], 'all')).toEqual([]);
		expect(index.byTags(['nope'], 'any')).toEqual([]);
		expect(() => index.byTags([' '], 'any')).toThrow('Expected `tags` to hold at least one tag');
		expect(() => index.byTags(['a'], 'some' as 'any')).toThrow('Expected `mode` to be "all" or "any", got "some"');
	});

	it('ranks a name match above a body match', () => {
		const results = index.search('reminder');
		expect(results.map((result) => result.document.id)).toEqual(['invoice-reminder', 'payment-receipt']);
		expect(results[0].score).toBeGreaterThan(results[1].score);
	});

	it('ranks documents matching more of the terms first', () => {
		expect(index.search('invoice reminder')[0].document.id).toBe('invoice-reminder');
		expect(index.search('billing sms')[0].document.id).toBe('payment-receipt');
	});

	it('searches tags and description too', () => {
		expect(index.search('onboarding').map((result) => result.document.id).sort()).toEqual(['welcome', 'welcome-de']);
		expect(index.search('overdue')[0].document.id).toBe('invoice-reminder');
	});

	it('tolerates typos in longer terms unless fuzzy is off', () => {
		expect(index.search('invoise')[0]?.document.id).toBe('invoice-reminder');
		expect(index.search('confirmaiton')[0]?.document.id).toBe('order-confirmation');
		expect(index.search('invoise', { fuzzy: false })).toEqual([]);
		// Three letters: exact only ("fee" is in a body), or every short word would match every other.
		expect(index.search('fea')).toEqual([]);
		expect(index.search('fee')[0].document.id).toBe('payment-receipt');
	});

	it('matches the last term as a prefix, for search-as-you-type', () => {
		expect(index.search('welc').map((result) => result.document.id).sort()).toEqual(['welcome', 'welcome-de']);
		expect(index.search('paym', { fuzzy: false }).map((result) => result.document.id)).toEqual(['payment-receipt']);
		// Only the last term: "welc" before another term must match a whole word.
		expect(index.search('welc sms').map((result) => result.document.id)).toEqual(['payment-receipt']);
	});

	it('returns at most `limit` results, best first, and nothing for a blank query', () => {
		expect(index.search('email', { limit: 1 })).toHaveLength(1);
		expect(index.search('your').length).toBeGreaterThan(1);
		expect(index.search('   ')).toEqual([]);
		expect(() => index.search('x', { limit: 0 })).toThrow('Expected `limit` to be an integer from 1 and up, got 0');
	});

	it('refuses duplicate ids', () => {
		expect(() => new TemplateIndex([library[0], library[0]])).toThrow('Expected unique template ids, got "invoice-reminder" twice');
	});

	it('is not affected by later changes to the array it was built from', () => {
		const documents = [...library];
		const own = new TemplateIndex(documents);
		documents.pop();
		expect(own.size).toBe(5);
		expect(own.search('willkommen')[0].document.id).toBe('welcome-de');
	});
});

describe('TemplateIndexCache', () => {
	it('builds once per library version and rebuilds when the version changes', () => {
		const cache = new TemplateIndexCache();
		const documents = jest.fn(() => library);

		const first = cache.get('folder:/templates', 'v1', documents);
		const again = cache.get('folder:/templates', 'v1', documents);
		expect(first.built).toBe(true);
		expect(again).toEqual({ index: first.index, built: false });
		expect(documents).toHaveBeenCalledTimes(1);

		const next = cache.get('folder:/templates', 'v2', () => library.slice(0, 2));
		expect(next.built).toBe(true);
		expect(next.index.size).toBe(2);
		// Only the latest version is kept.
		expect(cache.get('folder:/templates', 'v1', documents).built).toBe(true);
	});

	it('keeps libraries apart and at most maxLibraries of them, least recently used leaving first', () => {
		const cache = new TemplateIndexCache({ maxLibraries: 2 });
		cache.get('a', 'v', () => library);
		cache.get('b', 'v', () => library);
		cache.get('a', 'v', () => library);
		cache.get('c', 'v', () => library);
		expect(cache.size).toBe(2);
		expect(cache.get('a', 'v', () => library).built).toBe(false);
		expect(cache.get('b', 'v', () => library).built).toBe(true);
		expect(() => new TemplateIndexCache({ maxLibraries: 0 })).toThrow('Expected `maxLibraries` to be an integer from 1 and up, got 0');
	});
});
