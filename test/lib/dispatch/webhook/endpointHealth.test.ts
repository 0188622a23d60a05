import { EndpointHealth, type EndpointPass } from '../../../../lib/dispatch/webhook';
import { ManualClock } from '../../../../lib/shared/clock';

const A = 'http://a.test/webhook/x';

function setUp(options: { activeCheck?: (endpoint: string) => Promise<boolean> } = {}) {
	const clock = new ManualClock();
	const health = new EndpointHealth({ clock, failureThreshold: 3, cooldownMs: 30_000, ...options });
	const fail = (status?: number) => health.recordFailure(health.acquire(A) as EndpointPass, { status, error: status ? `HTTP ${status}` : 'connect ECONNREFUSED' });
	return { clock, health, fail };
}

describe('EndpointHealth', () => {
	it('ejects after 3 consecutive failures; a success in between resets the count', () => {
		const { health, fail } = setUp();
		fail(503);
		fail(503);
		health.recordSuccess(health.acquire(A) as EndpointPass, 200);
		fail(503);
		fail();
		expect(health.report(A)).toMatchObject({ state: 'healthy', consecutiveFailures: 2, lastError: 'connect ECONNREFUSED' });
		expect(health.report(A).lastStatus).toBeUndefined();
		fail(502);
		expect(health.report(A)).toMatchObject({ state: 'ejected', consecutiveFailures: 3, ejections: 1, lastStatus: 502 });
		expect(health.acquire(A)).toBeUndefined();
	});

	it('lets exactly one trial through after the cooldown; its success makes the endpoint healthy', () => {
		const { clock, health, fail } = setUp();
		fail();
		fail();
		fail();
		const ejectedAt = clock.now();
		expect(health.report(A).ejectedUntil).toBe(ejectedAt + 30_000);
		clock.advance(29_999);
		expect(health.state(A)).toBe('ejected');
		clock.advance(1);
		expect(health.state(A)).toBe('half-open');
		expect(health.isAvailable(A)).toBe(true);
		const trial = health.acquire(A) as EndpointPass;
		expect(trial).toMatchObject({ endpoint: A, trial: true });
		expect(health.acquire(A)).toBeUndefined();
		expect(health.isAvailable(A)).toBe(false);
		expect(health.report(A)).toMatchObject({ state: 'half-open', trialInFlight: true });
		health.recordSuccess(trial, 200);
		expect(health.report(A)).toMatchObject({ state: 'healthy', consecutiveFailures: 0, trialInFlight: false });
		expect(health.acquire(A)).toMatchObject({ trial: false });
	});

	it('ejects again for a full cooldown when the trial fails', () => {
		const { clock, health, fail } = setUp();
		fail();
		fail();
		fail();
		clock.advance(30_000);
		const trial = health.acquire(A) as EndpointPass;
		clock.advance(500);
		health.recordFailure(trial, { status: 503, error: 'HTTP 503' });
		expect(health.report(A)).toMatchObject({ state: 'ejected', ejections: 2, ejectedUntil: clock.now() + 30_000, consecutiveFailures: 4 });
	});

	it('frees the trial when it ends without a verdict', () => {
		const { clock, health, fail } = setUp();
		fail();
		fail();
		fail();
		clock.advance(30_000);
		health.release(health.acquire(A) as EndpointPass);
		expect(health.report(A)).toMatchObject({ state: 'half-open', trialInFlight: false });
		expect(health.acquire(A)).toMatchObject({ trial: true });
	});

	it('does not let requests sent before an ejection decide about the endpoint afterwards', () => {
		const { clock, health, fail } = setUp();
		const early = health.acquire(A) as EndpointPass;
		const earlyFailure = health.acquire(A) as EndpointPass;
		fail();
		fail();
		fail();
		health.recordSuccess(early, 200);
		expect(health.state(A)).toBe('ejected');
		clock.advance(30_000);
		const trial = health.acquire(A) as EndpointPass;
		health.recordFailure(earlyFailure, { error: 'late' });
		expect(health.report(A)).toMatchObject({ state: 'half-open', trialInFlight: true, lastError: 'late', ejections: 1 });
		health.recordSuccess(trial, 200);
		expect(health.state(A)).toBe('healthy');
	});

	it('counts a pass once, however often it is handed back', () => {
		const { health } = setUp();
		const pass = health.acquire(A) as EndpointPass;
		for (let index = 0; index < 5; index++) health.recordFailure(pass, { error: 'again' });
		expect(health.report(A).consecutiveFailures).toBe(1);
	});

	it('ends the cooldown early for an endpoint whose active check passes, once per probe interval', async () => {
		const checks: string[] = [];
		let passing = false;
		const { clock, health, fail } = setUp({
			activeCheck: async (endpoint) => {
				checks.push(endpoint);
				return passing;
			},
		});
		fail();
		fail();
		fail();
		await expect(health.probeEjected([A])).resolves.toEqual([]);
		passing = true;
		await expect(health.probeEjected([A])).resolves.toEqual([]);
		expect(checks).toHaveLength(1);
		clock.advance(5000);
		await expect(health.probeEjected([A])).resolves.toEqual([A]);
		expect(health.report(A)).toMatchObject({ state: 'half-open', consecutiveFailures: 3 });
		expect(health.acquire(A)).toMatchObject({ trial: true });
	});

	it('treats a check that throws as failed', async () => {
		const { health, fail } = setUp({ activeCheck: () => Promise.reject(new Error('ECONNREFUSED')) });
		fail();
		fail();
		fail();
		await expect(health.probeEjected([A])).resolves.toEqual([]);
		expect(health.state(A)).toBe('ejected');
	});

	it('checks its options', () => {
		const clock = new ManualClock();
		expect(() => new EndpointHealth({ clock, failureThreshold: 0 })).toThrow('Expected `failureThreshold` to be an integer from 1 and up, got 0');
		expect(() => new EndpointHealth({ clock, cooldownMs: Number.NaN })).toThrow('Expected `cooldownMs` to be a number of ms');
	});
});
