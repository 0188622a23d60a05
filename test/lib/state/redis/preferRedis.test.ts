import { RedisUnavailableError } from '../../../../lib/state/redis';
import { preferRedis } from '../../../../lib/state/redis/preferRedis';

/** A part of a store whose methods answer from `source`, or fail as `failure` says. */
class FakePart {
	failure: Error | undefined;
	calls = 0;
	constructor(readonly source: string) {}

	async read(key: string): Promise<string> {
		this.calls++;
		if (this.failure) throw this.failure;
		return `${this.source}:${key}`;
	}

	count(): number {
		if (this.failure) throw this.failure;
		return this.source.length;
	}
}

const unavailable = () => new RedisUnavailableError('Redis at localhost:6379 is unavailable', false);

function setup() {
	const primary = new FakePart('redis');
	const fallback = new FakePart('in-process');
	let fallbacks = 0;
	const part = preferRedis(primary, () => fallback, () => fallbacks++);
	return { primary, fallback, part, fallbacks: () => fallbacks };
}

describe('preferRedis', () => {
	it('serves every call from the primary while Redis answers', async () => {
		const { part, fallback, fallbacks } = setup();
		expect(await part.read('k')).toBe('redis:k');
		expect(part.count()).toBe(5);
		expect(part.source).toBe('redis');
		expect(fallback.calls).toBe(0);
		expect(fallbacks()).toBe(0);
	});

	it('serves the same call from the fallback when Redis did not, and says so', async () => {
		const { part, primary, fallbacks } = setup();
		primary.failure = unavailable();
		expect(await part.read('k')).toBe('in-process:k');
		expect(part.count()).toBe('in-process'.length);
		expect(fallbacks()).toBe(2);
		primary.failure = undefined;
		expect(await part.read('k')).toBe('redis:k');
		expect(fallbacks()).toBe(2);
	});

	it('lets other errors through without touching the fallback', async () => {
		const { part, primary, fallback, fallbacks } = setup();
		primary.failure = new TypeError('Expected `ttlMs` to be a number from 0 and up, got -1');
		await expect(part.read('k')).rejects.toThrow(TypeError);
		expect(() => part.count()).toThrow(TypeError);
		expect(fallback.calls).toBe(0);
		expect(fallbacks()).toBe(0);
	});

	it('keeps synchronous methods synchronous', () => {
		const { part } = setup();
		expect(part.count()).not.toBeInstanceOf(Promise);
	});

	it('uses an override instead of the primary member', async () => {
		const primary = new FakePart('redis');
		const part = preferRedis(primary, () => new FakePart('local'), () => undefined, { read: async (key: string) => `override:${key}` });
		primary.failure = unavailable();
		expect(await part.read('k')).toBe('override:k');
	});
});
