import {
	AllEndpointsDownError,
	dispatchBatch,
	EndpointHealth,
	EndpointPools,
	healthzCheck,
	LoadBalancer,
	parseWebhookEndpoints,
	WebhookResponseError,
	type BalancingStrategy,
	type DispatchAttemptReport,
	type EndpointHealthOptions,
	type EndpointPoolOptions,
} from '../../../../lib/dispatch/webhook';
import { defaultRetryPolicy, type RetryPolicy } from '../../../../lib/resilience';
import { ManualClock } from '../../../../lib/shared/clock';
import { advancingSleep } from '../../resilience/fakeTime';
import { deadEndpoint, echoHandler, Receiver, type Handler } from './receiver';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
	await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function receiver(handler?: Handler, port?: number): Promise<Receiver> {
	const started = await Receiver.start(handler, port);
	cleanups.push(() => started.close());
	return started;
}

interface SetUpOptions {
	strategy?: BalancingStrategy;
	health?: Partial<EndpointHealthOptions>;
	policy?: Partial<RetryPolicy>;
	pools?: EndpointPoolOptions;
	activeCheck?: boolean;
}

function setUp(urls: string[], options: SetUpOptions = {}) {
	const clock = new ManualClock();
	const { sleep, delays } = advancingSleep(clock);
	const pools = new EndpointPools(options.pools);
	cleanups.push(() => pools.close());
	const health = new EndpointHealth({
		clock,
		activeCheck: options.activeCheck ? healthzCheck(pools, { timeoutMs: 1000 }) : undefined,
		...options.health,
	});
	const balancer = new LoadBalancer(options.strategy);
	const endpoints = parseWebhookEndpoints(urls);
	const reports: DispatchAttemptReport[] = [];
	const retryPolicy = { ...defaultRetryPolicy, ...options.policy };
	const dispatch = (id: string, items: unknown[] = [{ n: 1 }], signal?: AbortSignal) =>
		dispatchBatch(
			{ id, body: { batchId: id, items } },
			{ endpoints, balancer, health, pools, retryPolicy, sleep, clock, signal, random: () => 0.5, onAttempt: (report) => reports.push(report) },
		);
	return { clock, delays, pools, health, balancer, endpoints, reports, dispatch };
}

/** Answers with the statuses in turn (then 200 echoes), e.g. `statuses(503, 503)`. */
function statuses(...codes: number[]): Handler {
	return (request, index) => (index < codes.length ? { status: codes[index], body: { message: `status ${codes[index]}` } } : echoHandler(request, index));
}

describe('dispatchBatch', () => {
	it('returns the parsed answer with status, endpoint, attempts and bytes', async () => {
		const server = await receiver();
		const { dispatch } = setUp([server.url()]);
		const result = await dispatch('batch-1', [{ a: 1 }, { a: 2 }]);
		expect(result).toMatchObject({
			status: 200,
			json: { batchId: 'batch-1', results: [{ a: 1 }, { a: 2 }] },
			endpoint: server.url(),
			attempts: 1,
			gzip: false,
		});
		expect(result.bytesRaw).toBe(Buffer.byteLength(JSON.stringify({ batchId: 'batch-1', items: [{ a: 1 }, { a: 2 }] })));
		expect(result.bytesSent).toBe(result.bytesRaw);
		expect(server.requests[0].headers['x-batch-id']).toBe('batch-1');
		expect(server.requests[0].headers['content-type']).toBe('application/json');
	});

	it('reuses one keep-alive connection for 20 sequential batches to one endpoint', async () => {
		const server = await receiver();
		const { dispatch } = setUp([server.url()]);
		for (let index = 0; index < 20; index++) await dispatch(`batch-${index}`);
		expect(server.requests).toHaveLength(20);
		expect(server.connections).toBe(1);
	});

	it('spreads batches round-robin over two receivers', async () => {
		const first = await receiver();
		const second = await receiver();
		const { dispatch } = setUp([first.url(), second.url()]);
		const answeredBy: string[] = [];
		for (let index = 0; index < 10; index++) answeredBy.push((await dispatch(`batch-${index}`)).endpoint);
		expect(first.requests).toHaveLength(5);
		expect(second.requests).toHaveLength(5);
		expect(answeredBy.slice(0, 4)).toEqual([first.url(), second.url(), first.url(), second.url()]);
	});

	it('fails over from a closed receiver, ejects it after 3 failures, and re-admits it through one half-open trial after the cooldown', async () => {
		const dead = await deadEndpoint();
		const alive = await receiver();
		const { dispatch, health, clock, reports } = setUp([dead.url, alive.url()], {
			health: { failureThreshold: 3, cooldownMs: 30_000 },
		});

		for (let index = 0; index < 3; index++) {
			const result = await dispatch(`batch-${index}`);
			expect(result.endpoint).toBe(alive.url());
			expect(result.attempts).toBe(2);
		}
		expect(health.state(dead.url)).toBe('ejected');
		expect(health.report(dead.url)).toMatchObject({ consecutiveFailures: 3, ejections: 1 });
		expect(health.report(dead.url).lastError).toMatch(/ECONNREFUSED/);
		expect(reports.filter((report) => report.endpoint === dead.url).map((report) => report.outcome)).toEqual([
			'network',
			'network',
			'network',
		]);

		// While ejected, batches go straight to the live receiver.
		reports.length = 0;
		for (let index = 3; index < 6; index++) expect((await dispatch(`batch-${index}`)).attempts).toBe(1);
		expect(reports.every((report) => report.endpoint === alive.url())).toBe(true);

		// The receiver comes back on its port; after the cooldown one trial request re-admits it.
		const revived = await receiver(echoHandler, dead.port);
		clock.advance(29_000);
		await dispatch('batch-6');
		await dispatch('batch-7');
		expect(revived.requests).toHaveLength(0);
		clock.advance(1_000);
		expect(health.state(dead.url)).toBe('half-open');
		reports.length = 0;
		await dispatch('batch-8');
		await dispatch('batch-9');
		expect(revived.requests).toHaveLength(1);
		expect(reports.find((report) => report.endpoint === dead.url)).toMatchObject({ trial: true, outcome: 'ok' });
		expect(health.state(dead.url)).toBe('healthy');
		expect(health.report(dead.url).consecutiveFailures).toBe(0);
	});

	it('keeps a flapping receiver in service while its failures are not consecutive', async () => {
		// Every other request fails: each batch succeeds on its second attempt and the failure count resets.
		const flapping = await receiver((request, index) => (index % 2 === 0 ? { status: 503 } : echoHandler(request, index)));
		const { dispatch, health, delays } = setUp([flapping.url()]);
		for (let index = 0; index < 6; index++) expect((await dispatch(`batch-${index}`)).attempts).toBe(2);
		expect(health.report(flapping.url())).toMatchObject({ state: 'healthy', consecutiveFailures: 0, ejections: 0 });
		// One backoff per batch: full jitter below the first ceiling (500 ms), drawn at 0.5.
		expect(delays).toEqual([250, 250, 250, 250, 250, 250]);
	});

	it('ejects a receiver again when its half-open trial fails, and re-admits it when a later trial succeeds', async () => {
		let up = false;
		const flapping = await receiver((request, index) => (up ? echoHandler(request, index) : { status: 502 }));
		const { dispatch, health, clock } = setUp([flapping.url()], { policy: { maxAttempts: 1 } });
		for (let index = 0; index < 3; index++) await expect(dispatch(`down-${index}`)).rejects.toThrow(AllEndpointsDownError);
		expect(health.state(flapping.url())).toBe('ejected');

		clock.advance(30_000);
		await expect(dispatch('trial-1')).rejects.toThrow(AllEndpointsDownError);
		expect(health.report(flapping.url())).toMatchObject({ state: 'ejected', ejections: 2, lastStatus: 502 });
		expect(flapping.requests).toHaveLength(4);

		up = true;
		await expect(dispatch('while-ejected')).rejects.toThrow(/no endpoint could take it/);
		expect(flapping.requests).toHaveLength(4);
		clock.advance(30_000);
		await expect(dispatch('trial-2')).resolves.toMatchObject({ status: 200 });
		expect(health.state(flapping.url())).toBe('healthy');
	});

	it('honours Retry-After on a 429 through the injected sleep', async () => {
		const limited = await receiver((request, index) =>
			index === 0 ? { status: 429, headers: { 'retry-after': '2' }, body: { message: 'slow down' } } : echoHandler(request, index),
		);
		const { dispatch, delays, reports } = setUp([limited.url()]);
		const result = await dispatch('batch-1');
		expect(result.attempts).toBe(2);
		expect(delays).toEqual([2000]);
		expect(reports.map((report) => [report.status, report.outcome])).toEqual([
			[429, 'rate_limit'],
			[200, 'ok'],
		]);
	});

	it('sends the same X-Batch-Id and the same body bytes on every attempt, across endpoints', async () => {
		const failing = await receiver(statuses(503));
		const answering = await receiver();
		const { dispatch } = setUp([failing.url(), answering.url()]);
		const items = Array.from({ length: 200 }, (_, index) => ({ index, text: 'a repeated line of text' }));
		const result = await dispatch('batch-dup-7', items);
		expect(result).toMatchObject({ endpoint: answering.url(), attempts: 2, gzip: true });
		const [first, second] = [failing.requests[0], answering.requests[0]];
		expect(first.headers['x-batch-id']).toBe('batch-dup-7');
		expect(second.headers['x-batch-id']).toBe(first.headers['x-batch-id']);
		expect(second.raw.equals(first.raw)).toBe(true);
	});

	it('fails at once on a 400 with the status and the body text, without retrying', async () => {
		const strict = await receiver(() => ({ status: 400, body: { message: 'Field "items" is missing' } }));
		const other = await receiver();
		const { dispatch, delays, health } = setUp([strict.url(), other.url()]);
		const error = await dispatch('batch-1').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(WebhookResponseError);
		expect(error).toMatchObject({ status: 400, errorClass: 'client' });
		expect((error as Error).message).toContain('answered HTTP 400');
		expect((error as Error).message).toContain('Field \\"items\\" is missing');
		expect(strict.requests).toHaveLength(1);
		expect(other.requests).toHaveLength(0);
		expect(delays).toEqual([]);
		// The endpoint answered: a refusal of the batch says nothing against its health.
		expect(health.report(strict.url())).toMatchObject({ state: 'healthy', consecutiveFailures: 0, lastStatus: 400 });
	});

	it('truncates a long error body', async () => {
		const strict = await receiver(() => ({ status: 422, body: 'x'.repeat(5000) }));
		const { dispatch } = setUp([strict.url()]);
		const error = (await dispatch('batch-1').catch((caught: unknown) => caught)) as WebhookResponseError;
		expect(error.bodyExcerpt).toHaveLength(501);
		expect(error.message.length).toBeLessThan(700);
	});

	it('throws AllEndpointsDownError listing every endpoint, with states and last errors and no credentials', async () => {
		const first = await deadEndpoint('/webhook/a');
		const second = await deadEndpoint('/webhook/b');
		const withCredentials = first.url.replace('http://', 'http://batch-user:s3cret-passw0rd@');
		const { dispatch } = setUp([withCredentials, second.url]);
		const error = (await dispatch('batch-1').catch((caught: unknown) => caught)) as AllEndpointsDownError;
		expect(error).toBeInstanceOf(AllEndpointsDownError);
		expect(error.attempts).toBe(3);
		expect(error.errorClass).toBe('network');
		expect(error.endpoints.map((report) => report.endpoint)).toEqual([first.url, second.url]);
		expect(error.message).toContain(`${first.url} (healthy, 2 consecutive failures, last error: connect ECONNREFUSED`);
		expect(error.message).toContain(`${second.url} (healthy, 1 consecutive failures, last error: connect ECONNREFUSED`);
		expect(error.message).not.toMatch(/s3cret|batch-user/);
		expect(JSON.stringify(error.endpoints)).not.toMatch(/s3cret|batch-user/);
	});

	it('throws AllEndpointsDownError without sending anything once every endpoint is ejected', async () => {
		const first = await deadEndpoint();
		const second = await deadEndpoint();
		const { dispatch, health } = setUp([first.url, second.url], { policy: { maxAttempts: 6 } });
		await expect(dispatch('batch-1')).rejects.toThrow(AllEndpointsDownError);
		expect(health.reports().map((report) => report.state)).toEqual(['ejected', 'ejected']);
		const error = (await dispatch('batch-2').catch((caught: unknown) => caught)) as AllEndpointsDownError;
		expect(error.attempts).toBe(0);
		expect(error.message).toMatch(/^All webhook endpoints are down for batch batch-2, no endpoint could take it: /);
		expect(error.message).toContain(`${first.url} (ejected, 3 consecutive failures, last error: connect ECONNREFUSED`);
		expect(error.message).toContain(`${second.url} (ejected, 3 consecutive failures`);
	});

	it('retries a timed-out request on the next endpoint', async () => {
		const slow = await receiver(() => 'hang');
		const fast = await receiver();
		const { dispatch, reports } = setUp([slow.url(), fast.url()], { pools: { timeoutMs: 150 } });
		const result = await dispatch('batch-1');
		expect(result.endpoint).toBe(fast.url());
		expect(reports[0]).toMatchObject({ endpoint: slow.url(), outcome: 'timeout', error: 'no answer within 150 ms' });
	});

	it('stops at once when cancelled, without counting it against the endpoint', async () => {
		const slow = await receiver(() => 'hang');
		const { dispatch, health } = setUp([slow.url()]);
		const controller = new AbortController();
		const pending = dispatch('batch-1', [{ n: 1 }], controller.signal);
		await new Promise((resolve) => setTimeout(resolve, 50));
		controller.abort(new Error('execution cancelled'));
		await expect(pending).rejects.toThrow('execution cancelled');
		expect(health.report(slow.url())).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
	});

	it('re-admits an ejected endpoint early when its /healthz check passes', async () => {
		let up = false;
		const server = await receiver((request, index) => {
			if (request.path === '/healthz') return { status: up ? 200 : 503 };
			return up ? echoHandler(request, index) : { status: 503 };
		});
		const { dispatch, health, clock } = setUp([server.url()], { activeCheck: true, policy: { maxAttempts: 1 } });
		for (let index = 0; index < 3; index++) await expect(dispatch(`down-${index}`)).rejects.toThrow(AllEndpointsDownError);
		expect(health.state(server.url())).toBe('ejected');
		// The first dispatch that finds no endpoint available probes; /healthz still fails.
		await expect(dispatch('probe-fails')).rejects.toThrow(/no endpoint could take it/);
		expect(server.requestsTo('/healthz')).toHaveLength(1);
		up = true;
		// Within the probe interval (5 s) the endpoint is not probed again.
		await expect(dispatch('too-soon')).rejects.toThrow(AllEndpointsDownError);
		expect(server.requestsTo('/healthz')).toHaveLength(1);
		// 5 s later, well inside the 30 s cooldown, a passing check lets the batch through as the trial.
		clock.advance(5000);
		await expect(dispatch('after-probe')).resolves.toMatchObject({ status: 200, attempts: 1 });
		expect(server.requestsTo('/healthz')).toHaveLength(2);
		expect(health.report(server.url())).toMatchObject({ state: 'healthy', consecutiveFailures: 0, ejections: 1 });
	});
});
