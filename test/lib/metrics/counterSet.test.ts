import { CounterSet, newerCounterSet } from '../../../lib/metrics/counterSet';
import type { MetricEvent } from '../../../lib/metrics/metricEvent';

const base: MetricEvent = { nodeType: 't', nodeName: 'n', operation: 'chat', durationMs: 12 };

describe('CounterSet', () => {
	it('counts every field of an event', () => {
		const set = new CounterSet();
		set.record({ ...base, cache: 'miss', tokensIn: 100, tokensOut: 20, costUsd: 0.002, retries: 2, items: 3 });
		set.record({ ...base, cache: 'hit', tokensSaved: 120, costSavedUsd: 0.002, outcome: 'ok' });
		set.record({ ...base, cache: 'coalesced', costUsd: null, outcome: 'rate_limit', bytesRaw: 1000, bytesCompressed: 300 });
		expect(set).toMatchObject({
			calls: 3,
			items: 5,
			errors: 1,
			hits: 1,
			misses: 1,
			coalesced: 1,
			tokensIn: 100,
			tokensOut: 20,
			tokensSaved: 120,
			costUsd: 0.002,
			costSavedUsd: 0.002,
			unpriced: 1,
			bytesRaw: 1000,
			bytesCompressed: 300,
			retries: 2,
			durationMsSum: 36,
			errorsByClass: { rate_limit: 1 },
		});
	});

	it('round-trips through its short JSON form', () => {
		const set = new CounterSet();
		set.record({ ...base, cache: 'similar', tokensIn: 5, costUsd: 0.1234567891 });
		const json = JSON.parse(JSON.stringify(set));
		expect(json).toMatchObject({ n: 1, s: 1, ti: 5, c: 0.123457 });
		const back = CounterSet.fromJSON(json);
		expect(back.similar).toBe(1);
		expect(back.latency).toEqual(set.latency);
	});

	it.each([
		['a string', 'nope'],
		['a negative counter', { n: -1 }],
		['a non-numeric counter', { h: '3' }],
		['a fractional error count', { ec: { timeout: 1.5 } }],
		['a bad latency bin', { l: { abc: 1 } }],
	])('refuses %s', (_label, json) => {
		expect(() => CounterSet.fromJSON(json)).toThrow(TypeError);
	});

	it('keeps the newer copy of one instance set, judged by its call count', () => {
		const older = new CounterSet();
		older.record(base);
		const newer = older.clone();
		newer.record(base);
		expect(newerCounterSet(older, newer)).toBe(newer);
		expect(newerCounterSet(newer, older)).toBe(newer);
		expect(newerCounterSet(undefined, older)).toBe(older);
	});
});
