import { EndpointHealth, LoadBalancer, type EndpointPass } from '../../../../lib/dispatch/webhook';
import { ManualClock } from '../../../../lib/shared/clock';

const [A, B, C] = ['http://a.test/webhook/x', 'http://b.test/webhook/x', 'http://c.test/webhook/x'];

function setUp() {
	const clock = new ManualClock();
	const health = new EndpointHealth({ clock, failureThreshold: 1, cooldownMs: 1000 });
	const eject = (endpoint: string) => health.recordFailure(health.acquire(endpoint) as EndpointPass, { error: 'down' });
	return { clock, health, eject };
}

function picks(balancer: LoadBalancer, health: EndpointHealth, endpoints: string[], count: number): Array<string | undefined> {
	return Array.from({ length: count }, () => balancer.pick(endpoints, health)?.endpoint);
}

describe('LoadBalancer', () => {
	it('takes endpoints in turn with round-robin', () => {
		const { health } = setUp();
		expect(picks(new LoadBalancer(), health, [A, B, C], 7)).toEqual([A, B, C, A, B, C, A]);
	});

	it('skips ejected endpoints and gives a half-open endpoint its single trial when its turn comes', () => {
		const { clock, health, eject } = setUp();
		const balancer = new LoadBalancer('round-robin');
		eject(B);
		expect(picks(balancer, health, [A, B, C], 5)).toEqual([A, C, A, C, A]);
		clock.advance(1000);
		const trial = balancer.pick([A, B, C], health);
		expect(trial).toMatchObject({ endpoint: B, trial: true });
		// The trial is under way: B is passed over until it is recorded.
		expect(picks(balancer, health, [A, B, C], 3)).toEqual([C, A, C]);
		health.recordSuccess(trial as EndpointPass, 200);
		expect(picks(balancer, health, [A, B, C], 3)).toEqual([A, B, C]);
	});

	it('returns undefined when no endpoint can take a request', () => {
		const { health, eject } = setUp();
		eject(A);
		eject(B);
		expect(new LoadBalancer().pick([A, B], health)).toBeUndefined();
		expect(new LoadBalancer().pick([], health)).toBeUndefined();
	});

	it('passes over endpoints to avoid while another can take the request', () => {
		const { health, eject } = setUp();
		const balancer = new LoadBalancer();
		expect(balancer.pick([A, B, C], health, new Set([A]))?.endpoint).toBe(B);
		expect(balancer.pick([A, B, C], health, new Set([C, A]))?.endpoint).toBe(B);
		eject(B);
		expect(balancer.pick([A, B], health, new Set([A]))?.endpoint).toBe(A);
	});

	it('chooses the endpoint with the fewest pending requests with least-pending, ties in turn', () => {
		const { health } = setUp();
		const balancer = new LoadBalancer('least-pending');
		balancer.started(A);
		balancer.started(A);
		balancer.started(B);
		expect(balancer.pick([A, B, C], health)?.endpoint).toBe(C);
		balancer.started(C);
		balancer.started(C);
		expect(balancer.pick([A, B, C], health)?.endpoint).toBe(B);
		balancer.finished(A);
		balancer.finished(A);
		expect(balancer.pending(A)).toBe(0);
		expect(balancer.pick([A, B, C], health)?.endpoint).toBe(A);
		for (const endpoint of [B, C, C]) balancer.finished(endpoint);
		expect(picks(balancer, health, [A, B, C], 3).sort()).toEqual([A, B, C]);
	});

	it('refuses an unknown strategy', () => {
		expect(() => new LoadBalancer('random' as never)).toThrow('Expected `strategy` to be one of round-robin, least-pending, got "random"');
	});
});
