/**
 * The value kept under `key`, made by `create` on a miss. The map is emptied when full rather than trimmed: keys
 * are formats, so a full map means a runaway caller, and a clear is the cheapest way to stay bounded.
 */
export function rememberBounded<K, V>(map: Map<K, V>, maxEntries: number, key: K, create: () => V): V {
	const cached = map.get(key);
	if (cached !== undefined) return cached;
	const value = create();
	if (map.size >= maxEntries) map.clear();
	map.set(key, value);
	return value;
}
