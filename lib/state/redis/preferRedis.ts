import { RedisUnavailableError } from './errors';

type Method = (...args: unknown[]) => unknown;

/**
 * `primary` (a part of the Redis store: its records, a cache, a limiter) as callers should use it: each method
 * call goes to `primary`, and when Redis did not serve it (`RedisUnavailableError`, thrown or as a rejection) the
 * same call goes to the same method of `fallback()`, and `onFallback` is told. Other errors pass through, and
 * properties that are not methods are read from `primary`. `overrides` replace the members that need more than
 * that, such as a method returning an object that must be wrapped in turn.
 */
export function preferRedis<T extends object>(primary: T, fallback: () => T, onFallback: () => void, overrides: Partial<T> = {}): T {
	const forwarders = new Map<PropertyKey, Method>();
	return new Proxy(primary, {
		get(target, property) {
			if (property in overrides) return (overrides as Record<PropertyKey, unknown>)[property];
			const member: unknown = Reflect.get(target, property);
			if (typeof member !== 'function') return member;
			let forwarder = forwarders.get(property);
			if (forwarder === undefined) {
				forwarder = (...args) =>
					servedByRedis(
						() => (member as Method).apply(target, args),
						() => {
							const local = fallback();
							return (Reflect.get(local, property) as Method).apply(local, args);
						},
						onFallback,
					);
				forwarders.set(property, forwarder);
			}
			return forwarder;
		},
	});
}

/** Runs `primary`; when Redis did not serve it, runs `fallback` instead. Keeps a synchronous result synchronous. */
function servedByRedis(primary: () => unknown, fallback: () => unknown, onFallback: () => void): unknown {
	const unserved = (error: unknown): unknown => {
		if (!(error instanceof RedisUnavailableError)) throw error;
		onFallback();
		return fallback();
	};
	let result: unknown;
	try {
		result = primary();
	} catch (error) {
		return unserved(error);
	}
	return result instanceof Promise ? result.catch(unserved) : result;
}
