import { randomBytes } from 'node:crypto';
import { SingleFlight } from '../../cache';
import { sleepWithSignal } from '../../resilience';
import type { RedisCommandRunner } from './commandRunner';
import { RedisUnavailableError } from './errors';
import { LuaScript } from './luaScript';

/** Takes the lock for a new run, or names the run holding it (the holder's token). */
const ACQUIRE = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end
return redis.call('GET', KEYS[1])
`);

/** Keeps a live holder's lock from expiring under a long run; a dead holder stops renewing it. */
const RENEW = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/** Publishes the run's result (when there is one) and releases the lock if it is still this run's, in one step. */
const FINISH = new LuaScript(`
if ARGV[3] then redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

/**
 * A waiter's look at the run it waits for: 1 and the result when it is published; 0 while the same run still
 * holds the lock; 2 when the run ended without a result or its process died (lock gone or taken by another run).
 */
const POLL = new LuaScript(`
local result = redis.call('GET', KEYS[2])
if result then return {1, result} end
if redis.call('GET', KEYS[1]) == ARGV[1] then return {0} end
return {2}
`);

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;

type Followed = { kind: 'result'; value: unknown } | { kind: 'ended' } | { kind: 'unavailable' };

/**
 * Single-flight across processes. Within the process, concurrent callers of a key share one attempt (as the
 * in-process `SingleFlight` does); across processes, the attempt that takes the key's lock runs the work,
 * publishes the JSON of its result and releases the lock, while the others poll for the result (10 ms, then
 * doubling up to 100 ms between looks).
 *
 * A failure is shared only within the process where it happened: when the running process fails or dies, the
 * waiting processes see the lock end without a result and one of them runs the work itself. A live holder
 * renews its lock; a dead one keeps waiters at most `lockTtlMs`. When Redis cannot be reached, the work runs
 * in this process without coalescing across processes.
 */
export class CrossProcessFlights {
	private readonly local = new SingleFlight<{ value: unknown; shared: boolean }>();

	constructor(private readonly connection: RedisCommandRunner) {}

	/** In-flight keys of this process. */
	get size(): number {
		return this.local.size;
	}

	async run<T>(key: string, work: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
		const { value: outcome, shared } = await this.local.run(key, () => this.acrossProcesses(key, work));
		return { value: outcome.value as T, shared: shared || outcome.shared };
	}

	private async acrossProcesses(key: string, work: () => Promise<unknown>): Promise<{ value: unknown; shared: boolean }> {
		const { keys, settings } = this.connection;
		const lock = keys.flightLock(key);
		const token = randomBytes(12).toString('base64url');
		for (;;) {
			let holder: unknown;
			try {
				holder = await this.connection.run((client) => ACQUIRE.run(client, [lock], [token, settings.lockTtlMs]));
			} catch (error) {
				if (!(error instanceof RedisUnavailableError)) throw error;
				// The lock may have been taken just before the failure: release it (best effort) once done.
				return { value: await this.lead(key, lock, token, work, error.mayHaveRun), shared: false };
			}
			if (holder === token || typeof holder !== 'string') {
				return { value: await this.lead(key, lock, token, work, true), shared: false };
			}
			const followed = await this.follow(key, lock, holder);
			if (followed.kind === 'result') return { value: followed.value, shared: true };
			if (followed.kind === 'unavailable') return { value: await work(), shared: false };
			// The run ended without a result: try to take the lock and run the work here.
		}
	}

	private async lead(key: string, lock: string, token: string, work: () => Promise<unknown>, holdsLock: boolean): Promise<unknown> {
		const { lockTtlMs } = this.connection.settings;
		const renewal = holdsLock
			? setInterval(() => {
					this.connection.run((client) => RENEW.run(client, [lock], [token, lockTtlMs])).catch(() => undefined);
				}, Math.max(50, Math.floor(lockTtlMs / 3)))
			: undefined;
		renewal?.unref();
		let value: unknown;
		try {
			value = await work();
		} catch (error) {
			clearInterval(renewal);
			if (holdsLock) await this.finish(key, lock, token, undefined);
			throw error;
		}
		clearInterval(renewal);
		if (holdsLock) await this.finish(key, lock, token, { value });
		return value;
	}

	private async finish(key: string, lock: string, token: string, result: { value: unknown } | undefined): Promise<void> {
		const { keys, settings } = this.connection;
		let payload: string | undefined;
		try {
			payload = result === undefined ? undefined : JSON.stringify({ v: result.value });
		} catch {
			// Not JSON (a cycle, a BigInt): the waiting processes see no result and run the work themselves.
		}
		const args = payload === undefined ? [token, settings.flightResultTtlMs] : [token, settings.flightResultTtlMs, payload];
		await this.connection.run((client) => FINISH.run(client, [lock, keys.flightResult(key, token)], args)).catch(() => undefined);
	}

	private async follow(key: string, lock: string, holder: string): Promise<Followed> {
		const result = this.connection.keys.flightResult(key, holder);
		let pauseMs = FIRST_POLL_MS;
		for (;;) {
			await sleepWithSignal(pauseMs);
			pauseMs = Math.min(pauseMs * 2, MAX_POLL_MS);
			let reply: unknown;
			try {
				reply = await this.connection.run((client) => POLL.run(client, [lock, result], [holder]));
			} catch (error) {
				if (error instanceof RedisUnavailableError) return { kind: 'unavailable' };
				throw error;
			}
			const [state, payload] = reply as [number, string | undefined];
			if (state === 0) continue;
			if (state === 2 || typeof payload !== 'string') return { kind: 'ended' };
			try {
				return { kind: 'result', value: (JSON.parse(payload) as { v?: unknown }).v };
			} catch {
				return { kind: 'ended' };
			}
		}
	}
}
