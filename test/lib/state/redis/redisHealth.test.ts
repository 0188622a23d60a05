import { RedisHealth } from '../../../../lib/state/redis';
import { ManualClock } from '../../../../lib/shared/clock';
import { recordingLogger } from './redisTestKit';

function circuit() {
	const clock = new ManualClock();
	const logger = recordingLogger();
	const health = new RedisHealth({
		target: 'redis://cache:6379/0',
		logger,
		retryAfterMs: 2000,
		clock,
		redact: (text) => text.replace('s3cret-pass', '[redacted]'),
	});
	return { clock, logger, health };
}

describe('RedisHealth', () => {
	it('opens on the first failure with one warning, then lets no call through until a probe is due', () => {
		const { clock, logger, health } = circuit();
		const tickets = [health.begin()!, health.begin()!, health.begin()!];
		for (const ticket of tickets) health.failed(ticket, new Error('Command timed out'));
		expect(health.up).toBe(false);
		expect(logger.warnings).toEqual([
			expect.stringMatching(/^perf-optimizer: Redis at redis:\/\/cache:6379\/0 is unavailable \(Command timed out\)/),
		]);
		expect(health.begin()).toBeUndefined();
		clock.advance(1999);
		expect(health.begin()).toBeUndefined();
		clock.advance(1);
		const probe = health.begin();
		expect(probe).toEqual(expect.objectContaining({ probe: true }));
		expect(health.begin()).toBeUndefined(); // one probe at a time
		health.failed(probe!, new Error('still down'));
		expect(health.begin()).toBeUndefined();
		expect(logger.warnings).toHaveLength(1);
	});

	it('closes on the first successful probe with one warning; answers from before the outage change nothing', () => {
		const { clock, logger, health } = circuit();
		const early = health.begin()!;
		const late = health.begin()!;
		health.failed(early, new Error('ECONNREFUSED'));
		clock.advance(2000);
		const probe = health.begin()!;
		health.succeeded(late); // a slow reply from before the outage does not close it
		expect(health.up).toBe(false);
		health.succeeded(probe);
		expect(health.up).toBe(true);
		health.failed(late, new Error('a stale timeout')); // nor does a stale failure reopen it
		expect(health.up).toBe(true);
		expect(logger.warnings).toHaveLength(2);
		expect(logger.warnings[1]).toMatch(/reachable again/);
	});

	it('follows the connection: a drop opens it at once, a reconnect makes the next call a probe', () => {
		const { logger, health } = circuit();
		health.connectionLost(new Error('WRONGPASS for s3cret-pass'));
		health.connectionLost(new Error('again'));
		expect(health.up).toBe(false);
		expect(logger.warnings).toHaveLength(1);
		expect(logger.warnings[0]).not.toContain('s3cret-pass');
		expect(health.begin()).toBeUndefined();
		health.connectionReady();
		expect(health.begin()).toEqual(expect.objectContaining({ probe: true }));
	});
});
