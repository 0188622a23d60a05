import {
	cacheKeyFor,
	InvalidJsonAnswerError,
	MAX_CACHED_PROMPT_BYTES,
	runAiCall,
	type AiCallDependencies,
	type AiCallSettings,
} from '../../../lib/aiCall';
import { NearDuplicateIndex } from '../../../lib/dedup';
import { ProviderError, resolveEndpoint, type ChatRequest, type ChatResult } from '../../../lib/providers';
import { attemptsOf } from '../../../lib/resilience';
import { ManualClock } from '../../../lib/shared/clock';
import { silentLogger } from '../../../lib/shared/logger';
import { ProcessState, StaticDataStateStore } from '../../../lib/state';

const ENDPOINT = resolveEndpoint({ provider: 'openAiCompatible', baseUrl: 'https://llm.example.test/v1', apiKey: 'sk-test-account-1' });
// 100 input and 20 output tokens at $2 / $8 per million.
const PRICE = { input: 2, output: 8 };
const COST = (100 * 2 + 20 * 8) / 1_000_000;

const request: ChatRequest = {
	model: 'gpt-test',
	system: 'Answer briefly.',
	messages: [{ role: 'user', content: 'Summarise the quarterly sales report for the European region' }],
	temperature: 0,
	responseFormat: 'text',
};

const settings: AiCallSettings = {
	cacheMode: 'readWrite',
	cacheTtlMs: 0,
	cacheNonZeroTemperature: false,
	persist: true,
	compression: 'off',
	retryPolicy: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 },
	price: PRICE,
};

function answer(text: string, overrides: Partial<ChatResult> = {}): ChatResult {
	return {
		text,
		finishReason: 'stop',
		usage: { input: 100, output: 20, cachedInput: 0, cacheWrite: 0 },
		hasToolCalls: false,
		toolCalls: [],
		raw: { id: text },
		...overrides,
	};
}

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((res) => (resolve = res));
	return { promise, resolve };
}

/** Lets every pending promise chain run to its next real wait. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Engine dependencies around a real static-data store (cache and coalescing as the node uses them), a `send`
 * fake that answers from `reply` and counts its calls, a `sleep` that returns at once and a counting `now`.
 */
function setup(reply: (request: ChatRequest, call: number) => ChatResult | Promise<ChatResult> = () => answer('fresh answer')) {
	const clock = new ManualClock();
	const process = new ProcessState({ instanceId: 'host-a', clock });
	const store = new StaticDataStateStore({ process, workflowId: 'wf1', staticData: {}, logger: silentLogger });
	const cache = store.caches.open('ai:test', { maxEntries: 100, ttlMs: 0 });
	const sent: ChatRequest[] = [];
	const sleeps: number[] = [];
	let tick = 0;
	const deps: AiCallDependencies = {
		client: {
			endpoint: ENDPOINT,
			send: async (sentRequest) => {
				sent.push(sentRequest);
				return reply(sentRequest, sent.length);
			},
		},
		cache,
		coalesce: (key, work) => store.caches.coalesce(key, work),
		sleep: async (ms) => {
			sleeps.push(ms);
		},
		clock,
		now: () => (tick += 10),
		random: () => 0.5,
	};
	return { deps, cache, sent, sleeps };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to fail');
}

describe('runAiCall', () => {
	describe('cache modes', () => {
		it('misses, stores the answer, then serves it from the cache', async () => {
			const { deps, cache, sent } = setup();
			const first = await runAiCall(request, settings, deps);
			expect(first).toMatchObject({ text: 'fresh answer', cache: 'miss', attempts: 1, costUsd: COST, savedUsd: 0, raw: { id: 'fresh answer' } });
			expect((await cache.stats()).entries).toBe(1);

			const second = await runAiCall(request, settings, deps);
			expect(second).toMatchObject({ text: 'fresh answer', cache: 'hit', attempts: 0, finishReason: 'stop' });
			expect(second.raw).toBeUndefined();
			expect(sent).toHaveLength(1);
		});

		it('stores the answer under the cache key of the request', async () => {
			const { deps, cache } = setup();
			await runAiCall(request, settings, deps);
			const entry = await cache.get(cacheKeyFor(request, ENDPOINT));
			expect(entry?.value).toMatchObject({ text: 'fresh answer', costUsd: COST, usage: { input: 100, output: 20 } });
		});

		it('reports a hit as free, saving what the original call cost', async () => {
			const { deps } = setup();
			await runAiCall(request, settings, deps);
			const hit = await runAiCall(request, settings, deps);
			expect(hit).toMatchObject({
				cache: 'hit',
				costUsd: 0,
				savedUsd: COST,
				usage: { input: 100, output: 20, cachedInput: 0, cacheWrite: 0 },
				tokensSaved: 120,
				attempts: 0,
			});
		});

		it('measures latency with the injected monotonic clock', async () => {
			const { deps } = setup();
			expect((await runAiCall(request, settings, deps)).latencyMs).toBe(10);
		});

		it('keeps different requests apart', async () => {
			const { deps, sent } = setup((sentRequest) => answer(`answer for ${sentRequest.model}`));
			await runAiCall(request, settings, deps);
			const other = await runAiCall({ ...request, model: 'gpt-other' }, settings, deps);
			expect(other).toMatchObject({ cache: 'miss', text: 'answer for gpt-other' });
			expect(sent).toHaveLength(2);
		});

		it('keeps accounts apart: another credential fingerprint misses', async () => {
			const { deps, sent } = setup();
			await runAiCall(request, settings, deps);
			const otherAccount = resolveEndpoint({ provider: 'openAiCompatible', baseUrl: ENDPOINT.baseUrl, apiKey: 'sk-test-account-2' });
			const other = await runAiCall(request, settings, { ...deps, client: { endpoint: otherAccount, send: deps.client.send } });
			expect(other.cache).toBe('miss');
			expect(sent).toHaveLength(2);
		});

		it('refresh calls the provider even on a cached request and overwrites the entry', async () => {
			const { deps, sent } = setup((_request, call) => answer(`answer ${call}`));
			await runAiCall(request, settings, deps);
			const refreshed = await runAiCall(request, { ...settings, cacheMode: 'refresh' }, deps);
			expect(refreshed).toMatchObject({ cache: 'miss', text: 'answer 2', attempts: 1 });
			const after = await runAiCall(request, settings, deps);
			expect(after).toMatchObject({ cache: 'hit', text: 'answer 2' });
			expect(sent).toHaveLength(2);
		});

		it('readOnly serves what is cached but never writes', async () => {
			const { deps, cache, sent } = setup((_request, call) => answer(`answer ${call}`));
			const readOnly = { ...settings, cacheMode: 'readOnly' as const };
			expect(await runAiCall(request, readOnly, deps)).toMatchObject({ cache: 'miss', text: 'answer 1' });
			expect(await runAiCall(request, readOnly, deps)).toMatchObject({ cache: 'miss', text: 'answer 2' });
			expect((await cache.stats()).entries).toBe(0);

			await runAiCall(request, settings, deps);
			expect(await runAiCall(request, readOnly, deps)).toMatchObject({ cache: 'hit', text: 'answer 3' });
			expect(sent).toHaveLength(3);
		});

		it('off bypasses the cache: it neither reads nor writes', async () => {
			const { deps, cache, sent } = setup((_request, call) => answer(`answer ${call}`));
			await runAiCall(request, settings, deps);
			const off = { ...settings, cacheMode: 'off' as const };
			expect(await runAiCall(request, off, deps)).toMatchObject({ cache: 'bypass', text: 'answer 2', attempts: 1, costUsd: COST });
			expect(await runAiCall(request, off, deps)).toMatchObject({ cache: 'bypass', text: 'answer 3' });
			expect((await cache.stats()).entries).toBe(1);
			expect(sent).toHaveLength(3);
		});

		it('off does not coalesce identical concurrent calls', async () => {
			const gate = deferred();
			const { deps, sent } = setup(async () => {
				await gate.promise;
				return answer('fresh answer');
			});
			const off = { ...settings, cacheMode: 'off' as const };
			const calls = [runAiCall(request, off, deps), runAiCall(request, off, deps)];
			await settle();
			gate.resolve();
			const outcomes = await Promise.all(calls);
			expect(outcomes.map((outcome) => outcome.cache)).toEqual(['bypass', 'bypass']);
			expect(sent).toHaveLength(2);
		});

		it('bypasses the cache for a prompt above the size limit and says why, without storing its answer', async () => {
			const { deps, cache, sent } = setup((_request, call) => answer(`answer ${call}`));
			const huge = { ...request, system: undefined, messages: [{ role: 'user' as const, content: 'A'.repeat(MAX_CACHED_PROMPT_BYTES + 1) }] };
			const plain = { ...settings, compression: 'off' as const };
			const first = await runAiCall(huge, plain, deps);
			expect(first).toMatchObject({ cache: 'bypass', text: 'answer 1', attempts: 1 });
			expect(first.cacheBypassReason).toBe(`prompt of ${MAX_CACHED_PROMPT_BYTES + 1} bytes is above the cache's limit of ${MAX_CACHED_PROMPT_BYTES} bytes`);
			expect(await runAiCall(huge, plain, deps)).toMatchObject({ cache: 'bypass', text: 'answer 2' });
			expect((await cache.stats()).entries).toBe(0);
			expect(sent).toHaveLength(2);
			// At the limit the cache is used as usual.
			const atLimit = { ...request, system: undefined, messages: [{ role: 'user' as const, content: 'A'.repeat(MAX_CACHED_PROMPT_BYTES) }] };
			await runAiCall(atLimit, plain, deps);
			const hit = await runAiCall(atLimit, plain, deps);
			expect(hit).toMatchObject({ cache: 'hit', text: 'answer 3' });
			expect(hit.cacheBypassReason).toBeUndefined();
		});

		it('bypasses the cache without a cache handle', async () => {
			const { deps, sent } = setup();
			const outcome = await runAiCall(request, settings, { ...deps, cache: undefined });
			expect(outcome.cache).toBe('bypass');
			expect((await runAiCall(request, settings, { ...deps, cache: undefined })).cache).toBe('bypass');
			expect(sent).toHaveLength(2);
		});
	});

	describe('temperature', () => {
		it('bypasses the cache for temperature > 0 unless told to cache those', async () => {
			const { deps, cache, sent } = setup();
			const warm = { ...request, temperature: 0.7 };
			expect((await runAiCall(warm, settings, deps)).cache).toBe('bypass');
			expect((await runAiCall(warm, settings, deps)).cache).toBe('bypass');
			expect((await cache.stats()).entries).toBe(0);
			expect(sent).toHaveLength(2);

			const cachingWarm = { ...settings, cacheNonZeroTemperature: true };
			expect((await runAiCall(warm, cachingWarm, deps)).cache).toBe('miss');
			expect((await runAiCall(warm, cachingWarm, deps)).cache).toBe('hit');
			expect(sent).toHaveLength(3);
		});

		it('treats a request without a temperature as sampling (the provider default is above 0)', async () => {
			const { deps } = setup();
			const { temperature: _temperature, ...noTemperature } = request;
			expect((await runAiCall(noTemperature, settings, deps)).cache).toBe('bypass');
		});

		it('does not coalesce bypassed calls', async () => {
			const gate = deferred();
			const { deps, sent } = setup(async () => {
				await gate.promise;
				return answer('sample');
			});
			const warm = { ...request, temperature: 1 };
			const calls = [runAiCall(warm, settings, deps), runAiCall(warm, settings, deps)];
			await settle();
			gate.resolve();
			expect((await Promise.all(calls)).map((outcome) => outcome.cache)).toEqual(['bypass', 'bypass']);
			expect(sent).toHaveLength(2);
		});
	});

	describe('what is not cached', () => {
		it.each<[string, Partial<ChatResult>]>([
			['cut off at the token limit', { finishReason: 'length' }],
			['stopped by the content filter', { finishReason: 'content_filter' }],
			['ending in tool calls', { finishReason: 'tool_calls', hasToolCalls: true }],
			['carrying tool calls despite a stop finish', { finishReason: 'stop', hasToolCalls: true }],
		])('does not cache an answer %s', async (_label, overrides) => {
			const { deps, cache, sent } = setup(() => answer('partial', overrides));
			const first = await runAiCall(request, settings, deps);
			expect(first).toMatchObject({ cache: 'miss', text: 'partial', finishReason: overrides.finishReason });
			expect((await runAiCall(request, settings, deps)).cache).toBe('miss');
			expect((await cache.stats()).entries).toBe(0);
			expect(sent).toHaveLength(2);
		});

		it.each<[string, Partial<ChatResult>]>([
			['cut off at the token limit', { finishReason: 'length' }],
			['stopped by the content filter', { finishReason: 'content_filter' }],
			['carrying tool calls despite a stop finish', { finishReason: 'stop', hasToolCalls: true }],
			['ending in tool calls without any', { finishReason: 'tool_calls' }],
		])('does not cache an answer %s even while tool-call answers are cached', async (_label, overrides) => {
			const { deps, cache } = setup(() => answer('partial', overrides));
			await runAiCall(request, { ...settings, cacheToolCalls: true }, deps);
			expect((await cache.stats()).entries).toBe(0);
		});

		it('parses a JSON-mode answer and caches it with its value', async () => {
			const { deps } = setup(() => answer('```json\n{"total": 42}\n```'));
			const json = { ...request, responseFormat: 'json' as const };
			expect(await runAiCall(json, settings, deps)).toMatchObject({ cache: 'miss', json: { total: 42 } });
			expect(await runAiCall(json, settings, deps)).toMatchObject({ cache: 'hit', json: { total: 42 } });
		});

		it('throws for an invalid JSON-mode answer and does not cache it', async () => {
			const { deps, cache, sent } = setup(() => answer('Sorry, I cannot do that.'));
			const json = { ...request, responseFormat: 'json' as const };
			const error = await failureOf(runAiCall(json, settings, deps));
			expect(error).toBeInstanceOf(InvalidJsonAnswerError);
			expect((error as InvalidJsonAnswerError).truncated).toBe(false);
			expect((await cache.stats()).entries).toBe(0);
			await failureOf(runAiCall(json, settings, deps));
			expect(sent).toHaveLength(2);
		});

		it('says a JSON-mode answer cut off at the token limit was truncated', async () => {
			const { deps } = setup(() => answer('{"items": [1, 2,', { finishReason: 'length' }));
			const error = await failureOf(runAiCall({ ...request, responseFormat: 'json' }, settings, deps));
			expect(error).toMatchObject({ name: 'InvalidJsonAnswerError', truncated: true });
		});
	});

	describe('coalescing', () => {
		it('lets identical concurrent calls share one provider call', async () => {
			const gate = deferred();
			const { deps, sent } = setup(async () => {
				await gate.promise;
				return answer('shared answer');
			});
			const calls = Array.from({ length: 5 }, () => runAiCall(request, settings, deps));
			await settle();
			gate.resolve();
			const outcomes = await Promise.all(calls);
			expect(sent).toHaveLength(1);
			expect(outcomes.map((outcome) => outcome.cache).sort()).toEqual(['coalesced', 'coalesced', 'coalesced', 'coalesced', 'miss']);
			expect(outcomes.every((outcome) => outcome.text === 'shared answer')).toBe(true);
			const coalesced = outcomes.find((outcome) => outcome.cache === 'coalesced')!;
			expect(coalesced).toMatchObject({ attempts: 0, costUsd: 0, savedUsd: COST, tokensSaved: 120 });
			expect(outcomes.find((outcome) => outcome.cache === 'miss')).toMatchObject({ attempts: 1, costUsd: COST });
		});

		it('shares a failure with the waiters, and the next call tries again', async () => {
			const gate = deferred();
			const { deps, sent } = setup(async (_request, call) => {
				await gate.promise;
				if (call === 1) throw new ProviderError({ status: 400, providerMessage: 'bad request' });
				return answer('second try');
			});
			const calls = [runAiCall(request, settings, deps), runAiCall(request, settings, deps)].map(failureOf);
			await settle();
			gate.resolve();
			for (const error of await Promise.all(calls)) expect(error).toMatchObject({ status: 400 });
			expect(sent).toHaveLength(1);
			expect(await runAiCall(request, settings, deps)).toMatchObject({ cache: 'miss', text: 'second try' });
		});
	});

	describe('retries', () => {
		it('retries a retryable failure up to maxAttempts and throws the last error with the attempts made', async () => {
			const { deps, cache, sent, sleeps } = setup(() => {
				throw new ProviderError({ status: 500, providerMessage: 'upstream failed' });
			});
			const error = await failureOf(runAiCall(request, settings, deps));
			expect(error).toBeInstanceOf(ProviderError);
			expect(error).toMatchObject({ status: 500, errorClass: 'server', retryable: true });
			expect(attemptsOf(error)).toBe(3);
			expect(sent).toHaveLength(3);
			expect(sleeps).toHaveLength(2);
			expect((await cache.stats()).entries).toBe(0);
		});

		it('follows the policy: one attempt means no retry', async () => {
			const { deps, sent } = setup(() => {
				throw new ProviderError({ status: 503, providerMessage: 'busy' });
			});
			const error = await failureOf(runAiCall(request, { ...settings, retryPolicy: { ...settings.retryPolicy, maxAttempts: 1 } }, deps));
			expect(attemptsOf(error)).toBe(1);
			expect(sent).toHaveLength(1);
		});

		it('does not retry a 400', async () => {
			const { deps, sent, sleeps } = setup(() => {
				throw new ProviderError({ status: 400, code: 'invalid_request_error', providerMessage: 'bad' });
			});
			const error = await failureOf(runAiCall(request, settings, deps));
			expect(error).toMatchObject({ status: 400, errorClass: 'client', retryable: false });
			expect(attemptsOf(error)).toBe(1);
			expect(sent).toHaveLength(1);
			expect(sleeps).toEqual([]);
		});

		it('waits as long as the provider asked, then succeeds and reports the attempts', async () => {
			const { deps, sent, sleeps } = setup((_request, call) => {
				if (call === 1) throw new ProviderError({ status: 429, providerMessage: 'slow down', retryAfterMs: 1234 });
				return answer('after waiting');
			});
			const outcome = await runAiCall(request, settings, deps);
			expect(outcome).toMatchObject({ cache: 'miss', text: 'after waiting', attempts: 2 });
			expect(sleeps).toEqual([1234]);
			expect(sent).toHaveLength(2);
			expect((await runAiCall(request, settings, deps)).cache).toBe('hit');
		});

		it('retries in bypass mode too and reports the attempts', async () => {
			const { deps } = setup((_request, call) => {
				if (call < 3) throw new ProviderError({ networkError: true, providerMessage: 'ECONNRESET' });
				return answer('third time');
			});
			expect(await runAiCall(request, { ...settings, cacheMode: 'off' }, deps)).toMatchObject({ cache: 'bypass', attempts: 3 });
		});

		it('does not retry a cancelled call', async () => {
			const { deps, sent } = setup(() => {
				throw new ProviderError({ cancelled: true, providerMessage: 'the execution was cancelled' });
			});
			const error = await failureOf(runAiCall(request, settings, deps));
			expect(error).toMatchObject({ errorClass: 'cancelled', retryable: false });
			expect(sent).toHaveLength(1);
		});
	});

	describe('cost', () => {
		it('reports an unknown price as null cost, never as free', async () => {
			const { deps } = setup();
			const unpriced = { ...settings, price: null };
			expect(await runAiCall(request, unpriced, deps)).toMatchObject({ cache: 'miss', costUsd: null, savedUsd: null });
			expect(await runAiCall(request, unpriced, deps)).toMatchObject({ cache: 'hit', costUsd: 0, savedUsd: null });
		});

		it('prices cached input at the cached rate', async () => {
			const { deps } = setup(() => answer('x', { usage: { input: 1000, output: 0, cachedInput: 800, cacheWrite: 0 } }));
			const outcome = await runAiCall(request, { ...settings, price: { input: 2, cachedInput: 0.5, output: 8 } }, deps);
			expect(outcome.costUsd).toBeCloseTo((200 * 2 + 800 * 0.5) / 1_000_000, 12);
		});
	});

	describe('compression', () => {
		const prettyJson = JSON.stringify(
			{ orders: Array.from({ length: 8 }, (_, index) => ({ id: index + 1, customer: `customer-${index}`, total: 10 + index })) },
			null,
			4,
		);
		const verbose: ChatRequest = { ...request, messages: [{ role: 'user', content: `Total these orders:\n${prettyJson}` }] };

		it('sends the compressed prompt and reports tokens and bytes before and after', async () => {
			const { deps, sent } = setup();
			const outcome = await runAiCall(verbose, { ...settings, compression: 'safe' }, deps);
			expect(outcome.tokensBefore).toBeGreaterThan(outcome.tokensAfter);
			expect(outcome.tokensSaved).toBe(outcome.tokensBefore - outcome.tokensAfter);
			expect(outcome.savedUsd).toBeCloseTo((outcome.tokensSaved * PRICE.input) / 1_000_000, 12);
			expect(outcome.bytesCompressed).toBeLessThan(outcome.bytesRaw);
			expect(sent[0].messages[0].content).toContain('{"orders":[');
			expect(sent[0].messages[0].content).not.toContain('\n    ');
		});

		it('sends the prompt as is with compression off and takes the token count from the provider', async () => {
			const { deps, sent } = setup();
			const outcome = await runAiCall(verbose, settings, deps);
			expect(sent[0].messages).toEqual(verbose.messages);
			expect(outcome).toMatchObject({ tokensBefore: 100, tokensAfter: 100, tokensSaved: 0, savedUsd: 0 });
			expect(outcome.bytesCompressed).toBe(outcome.bytesRaw);
		});

		it('serves the compressed request from the cache the second time', async () => {
			const { deps, sent } = setup();
			const safe = { ...settings, compression: 'safe' as const };
			const first = await runAiCall(verbose, safe, deps);
			const second = await runAiCall(verbose, safe, deps);
			expect(second).toMatchObject({ cache: 'hit', tokensBefore: first.tokensBefore, tokensAfter: first.tokensAfter });
			expect(sent).toHaveLength(1);
		});
	});

	describe('token counts', () => {
		const reference = require('gpt-tokenizer/cjs/encoding/o200k_base') as typeof import('gpt-tokenizer/cjs/encoding/o200k_base');
		const exact = (text: string) => reference.countTokens(text, { disallowedSpecial: new Set<string>() });
		const withPrompt = (content: string): ChatRequest => ({ ...request, messages: [{ role: 'user', content }] });

		it('counts a normal prompt exactly with the tokenizer and says so', async () => {
			const { deps } = setup();
			const outcome = await runAiCall(request, { ...settings, compression: 'safe' }, deps);
			const promptText = `${request.system}\n${request.messages[0].content as string}`;
			expect(outcome).toMatchObject({ tokenCount: 'exact', tokensBefore: exact(promptText), tokensAfter: exact(promptText) });
		});

		it('estimates a 1 MB prompt without spaces in linear time, says so, and keeps the flag on a cache hit', async () => {
			const { deps, sent } = setup();
			const huge = withPrompt('A'.repeat(1_000_000));
			const started = Date.now();
			const outcome = await runAiCall(huge, { ...settings, compression: 'safe' }, deps);
			// The exact tokenizer took about 390 s per count here, twice per call.
			expect(Date.now() - started).toBeLessThan(5_000);
			expect(outcome.tokenCount).toBe('estimated');
			expect(outcome.tokensBefore).toBeGreaterThan(0);
			const again = await runAiCall(huge, { ...settings, compression: 'safe' }, deps);
			expect(again).toMatchObject({ cache: 'hit', tokenCount: 'estimated', tokensBefore: outcome.tokensBefore });
			expect(sent).toHaveLength(1);
		});

		it('estimates for a tokens-per-minute limit too', async () => {
			const acquired: number[] = [];
			const { deps } = setup();
			deps.rateLimiter = {
				acquire: async (tokens) => {
					acquired.push(tokens);
					return 0;
				},
			};
			const outcome = await runAiCall(withPrompt('的'.repeat(50_000)), settings, deps);
			expect(outcome.tokenCount).toBe('estimated');
			expect(acquired[0]).toBe(outcome.tokensAfter);
		});

		it("takes the provider's count when no count is needed before the call", async () => {
			const { deps } = setup();
			const outcome = await runAiCall(request, settings, deps);
			expect(outcome).toMatchObject({ tokenCount: 'provider', tokensBefore: 100, tokensAfter: 100 });
		});
	});

	describe('near-duplicates', () => {
		const similar = (text: string): ChatRequest => ({ ...request, messages: [{ role: 'user', content: text }] });
		const original = 'Summarise the quarterly sales report for the European region';
		const typo = 'Summarise the quartely sales report for the European region';

		it('reuses the answer of a near-identical prompt and says which one', async () => {
			const { deps, sent } = setup(() => answer('European sales grew.'));
			const withIndex = { ...deps, nearDuplicates: new NearDuplicateIndex({ maxEntries: 100 }) };
			const lenient = { ...settings, nearDuplicateThreshold: 0.9, nearDuplicateTypos: true };
			expect((await runAiCall(similar(original), lenient, withIndex)).cache).toBe('miss');
			const reused = await runAiCall(similar(typo), lenient, withIndex);
			expect(reused).toMatchObject({ cache: 'similar', text: 'European sales grew.', costUsd: 0, savedUsd: COST, attempts: 0 });
			expect(reused.similarTo?.score).toBeGreaterThanOrEqual(0.9);
			expect(reused.similarTo?.score).toBeLessThan(1);
			expect(reused.similarTo?.promptPreview).toBe(`user: ${original}`);
			expect(sent).toHaveLength(1);
		});

		it('reuses a formatting-only variant with score 1 and never a typo while typo tolerance is off', async () => {
			const { deps, sent } = setup(() => answer('European sales grew.'));
			const withIndex = { ...deps, nearDuplicates: new NearDuplicateIndex({ maxEntries: 100 }) };
			const formattingOnly = { ...settings, nearDuplicateThreshold: 0.5 };
			await runAiCall(similar(original), formattingOnly, withIndex);
			const reused = await runAiCall(similar(`  ${original.toUpperCase()}.\n`), formattingOnly, withIndex);
			expect(reused).toMatchObject({ cache: 'similar', text: 'European sales grew.', similarTo: { score: 1 } });
			expect((await runAiCall(similar(typo), formattingOnly, withIndex)).cache).toBe('miss');
			expect(sent).toHaveLength(2);
		});

		it('does not reuse when no threshold is set, even with an index', async () => {
			const { deps, sent } = setup();
			const withIndex = { ...deps, nearDuplicates: new NearDuplicateIndex({ maxEntries: 100 }) };
			await runAiCall(similar(original), settings, withIndex);
			expect((await runAiCall(similar(typo), settings, withIndex)).cache).toBe('miss');
			expect(sent).toHaveLength(2);
		});

		it('does not reuse below the threshold', async () => {
			const { deps } = setup();
			const withIndex = { ...deps, nearDuplicates: new NearDuplicateIndex({ maxEntries: 100 }) };
			const strict = { ...settings, nearDuplicateThreshold: 0.999, nearDuplicateTypos: true };
			await runAiCall(similar(original), strict, withIndex);
			expect((await runAiCall(similar(typo), strict, withIndex)).cache).toBe('miss');
		});

		it('never reuses across system prompts or models', async () => {
			const { deps, sent } = setup();
			const withIndex = { ...deps, nearDuplicates: new NearDuplicateIndex({ maxEntries: 100 }) };
			const lenient = { ...settings, nearDuplicateThreshold: 0.9, nearDuplicateTypos: true };
			await runAiCall(similar(original), lenient, withIndex);
			expect((await runAiCall({ ...similar(typo), system: 'Answer in German.' }, lenient, withIndex)).cache).toBe('miss');
			expect((await runAiCall({ ...similar(typo), model: 'gpt-other' }, lenient, withIndex)).cache).toBe('miss');
			expect(sent).toHaveLength(3);
		});

		it('never reuses the answer about another image', async () => {
			const { deps, sent } = setup((sentRequest) => answer(`about ${JSON.stringify(sentRequest.messages[0].content)}`));
			const withIndex = { ...deps, nearDuplicates: new NearDuplicateIndex({ maxEntries: 100 }) };
			const lenient = { ...settings, nearDuplicateThreshold: 0.9, nearDuplicateTypos: true };
			const picture = (url: string): ChatRequest => ({
				...request,
				messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url } }] }],
			});
			await runAiCall(picture('https://images.example.test/cat.png'), lenient, withIndex);
			const dog = await runAiCall(picture('https://images.example.test/dog.png'), lenient, withIndex);
			expect(dog.cache).toBe('miss');
			expect(dog.text).toContain('dog.png');
			expect(sent).toHaveLength(2);
		});

		it('goes to the provider when the similar answer has left the cache', async () => {
			const { deps, cache, sent } = setup();
			const withIndex = { ...deps, nearDuplicates: new NearDuplicateIndex({ maxEntries: 100 }) };
			const lenient = { ...settings, nearDuplicateThreshold: 0.9, nearDuplicateTypos: true };
			await runAiCall(similar(original), lenient, withIndex);
			await cache.delete(cacheKeyFor(similar(original), ENDPOINT));
			expect((await runAiCall(similar(typo), lenient, withIndex)).cache).toBe('miss');
			expect(sent).toHaveLength(2);
		});

		it('does not index answers it did not cache', async () => {
			const { deps } = setup(() => answer('cut', { finishReason: 'length' }));
			const index = new NearDuplicateIndex({ maxEntries: 100 });
			await runAiCall(similar(original), { ...settings, nearDuplicateThreshold: 0.9 }, { ...deps, nearDuplicates: index });
			expect(index.size).toBe(0);
		});
	});
});
