import { randomBytes } from 'node:crypto';
import { CounterSet, MINUTE_MS, seriesKey, type MetricEvent, type SeriesId } from '../../metrics';
import { canonicalJson } from '../../shared/canonicalJson';
import type { RedisCommandRunner } from './commandRunner';
import { counterIncrements } from './counterFields';
import { RedisUnavailableError } from './errors';
import { LUA_NOW_MS, LuaScript } from './luaScript';

/**
 * Applies one batch of metric increments atomically, once. A batch whose fate is unknown (its command timed out)
 * is sent again with the same number; the writer's last applied number makes the repeat a no-op.
 *
 * KEYS[1]: the writer's last applied batch number; KEYS[2..]: the keys the operations name by index.
 * ARGV: batch number, how long to remember it (ms), then operations:
 *   H <key> <expire at, epoch ms, or 0> <n> <field> <amount> ...  adds n amounts to a hash
 *   Z <key> <minute> <oldest minute kept> <expire at>             notes a minute in a series' minute index
 *   S <key> <member>                                              adds a member to a registry set
 * Whole amounts go through HINCRBY and fractions through HINCRBYFLOAT, which also takes over when a field
 * already holds a fraction (HINCRBY refuses those).
 */
const FLUSH = new LuaScript(`${LUA_NOW_MS}
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) <= last then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local now = now_ms()
local function add(key, field, amount)
	if string.find(amount, '[^%d%-]') then
		redis.call('HINCRBYFLOAT', key, field, amount)
	else
		local reply = redis.pcall('HINCRBY', key, field, amount)
		if type(reply) == 'table' and reply.err then redis.call('HINCRBYFLOAT', key, field, amount) end
	end
end
local i = 3
while i <= #ARGV do
	local op = ARGV[i]
	local key = KEYS[tonumber(ARGV[i + 1])]
	if op == 'H' then
		local count = tonumber(ARGV[i + 3])
		for j = 0, count - 1 do add(key, ARGV[i + 4 + 2 * j], ARGV[i + 5 + 2 * j]) end
		if ARGV[i + 2] ~= '0' then redis.call('PEXPIREAT', key, ARGV[i + 2]) end
		i = i + 4 + 2 * count
	elseif op == 'Z' then
		redis.call('ZADD', key, ARGV[i + 2], ARGV[i + 2])
		redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[i + 3])
		-- The index lives as long as its newest minute: only ever push its expiry later.
		local ttl = redis.call('PTTL', key)
		if ttl < 0 or now + ttl < tonumber(ARGV[i + 4]) then redis.call('PEXPIREAT', key, ARGV[i + 4]) end
		i = i + 5
	elseif op == 'S' then
		redis.call('SADD', key, ARGV[i + 2])
		i = i + 3
	else
		return redis.error_reply('unknown metrics operation ' .. tostring(op))
	end
end
return 1
`);

/** How long a writer's last batch number is remembered: longer than any retry of an unsent batch takes. */
const SEQUENCE_TTL_MS = 48 * 3_600_000;
/** Minute buckets outlive the retention by this much, so a window ending now never misses its oldest minute. */
const EXPIRY_MARGIN_MS = 10 * MINUTE_MS;
/** Minute buckets per script call at most, so that a flush after a long outage does not block Redis for long. */
const BUCKETS_PER_BATCH = 2000;

interface BufferedSeries {
	workflowId: string;
	id: SeriesId;
	total: CounterSet;
	minutes: Map<number, CounterSet>;
}

interface Batch {
	sequence: number;
	series: BufferedSeries[];
}

export interface FlushReport {
	/** Whether anything was sent. */
	written: boolean;
	/** Approximate bytes sent. */
	bytes: number;
	/** Minute buckets left out since the last flush because the buffer was full (their counts are in the totals). */
	droppedBuckets: number;
}

/**
 * The metrics this process recorded and has not yet written to Redis, shared by every store on the connection.
 * `record` only adds to counter sets in memory; `flush` sends them in one atomic script, one flush at a time.
 *
 * When a flush fails, nothing is lost: a batch that surely did not reach Redis goes back into the buffer, and
 * one that may have (its command timed out) is kept as it is and sent again first by the next flush, under the
 * same batch number, so it counts exactly once. While Redis stays away the buffer is bounded: series beyond
 * `maxBufferedSeries` are not recorded (one warning), and minute buckets beyond `maxBufferedBuckets` are not
 * started (their events still count in the all-time totals), which keeps memory flat through a long outage
 * at the cost of per-minute detail.
 */
export class MetricsBuffer {
	private open = new Map<string, BufferedSeries>();
	private openBuckets = 0;
	private inDoubt: Batch | undefined;
	private sequence = 0;
	/** Names this buffer's batches in Redis; new for every connection, so a restart never reuses a number. */
	private readonly writerId = randomBytes(12).toString('base64url');
	private queue: Promise<unknown> = Promise.resolve();
	private readonly droppedBuckets = new Set<string>();
	private seriesLimitWarned = false;

	constructor(private readonly connection: RedisCommandRunner) {}

	/** Series with counts not yet known to be in Redis. */
	get pendingSeries(): number {
		return this.open.size + (this.inDoubt?.series.length ?? 0);
	}

	record(workflowId: string, event: MetricEvent, at: number): void {
		const key = `${workflowId}\u0000${seriesKey(event)}`;
		let series = this.open.get(key);
		if (series === undefined) {
			if (this.open.size >= this.connection.settings.maxBufferedSeries) {
				if (!this.seriesLimitWarned) {
					this.seriesLimitWarned = true;
					this.connection.logger.warn(
						`perf-optimizer: ${this.open.size} metric series are waiting for Redis at ${this.connection.target}; ` +
							'new series are not recorded until it is back',
					);
				}
				return;
			}
			series = {
				workflowId,
				id: { nodeType: event.nodeType, nodeName: event.nodeName, operation: event.operation },
				total: new CounterSet(),
				minutes: new Map(),
			};
			this.open.set(key, series);
		}
		series.total.record(event);
		const minute = Math.floor(at / MINUTE_MS);
		let bucket = series.minutes.get(minute);
		if (bucket === undefined) {
			if (this.openBuckets >= this.connection.settings.maxBufferedBuckets) {
				this.droppedBuckets.add(`${key}\u0000${minute}`);
				return;
			}
			series.minutes.set(minute, (bucket = new CounterSet()));
			this.openBuckets++;
		}
		bucket.record(event);
	}

	/** Forgets what is buffered for these workflows (all when absent), as a metrics reset does. */
	discard(workflowIds?: ReadonlySet<string>): void {
		for (const [key, series] of this.open) {
			if (workflowIds !== undefined && !workflowIds.has(series.workflowId)) continue;
			this.open.delete(key);
			this.openBuckets -= series.minutes.size;
		}
	}

	/**
	 * Sends everything recorded before the call. Flushes run one after another; throws
	 * {@link RedisUnavailableError} (keeping the counts for the next flush) when Redis does not take them.
	 */
	flush(): Promise<FlushReport> {
		const flushing = this.queue.then(() => this.flushNow());
		this.queue = flushing.catch(() => undefined);
		return flushing;
	}

	private async flushNow(): Promise<FlushReport> {
		let bytes = 0;
		if (this.inDoubt !== undefined) {
			bytes += await this.send(this.inDoubt);
			this.inDoubt = undefined;
		}
		const droppedBuckets = this.droppedBuckets.size;
		this.droppedBuckets.clear();
		const batches = this.cutBatches();
		for (let index = 0; index < batches.length; index++) {
			try {
				bytes += await this.send(batches[index]);
			} catch (error) {
				if (error instanceof RedisUnavailableError && !error.mayHaveRun) this.putBack(batches[index]);
				else this.inDoubt = batches[index];
				for (const unsent of batches.slice(index + 1)) this.putBack(unsent);
				throw error;
			}
		}
		if (batches.length > 0) this.seriesLimitWarned = false;
		return { written: bytes > 0, bytes, droppedBuckets };
	}

	/** Takes the open buffer as numbered batches of at most {@link BUCKETS_PER_BATCH} minute buckets each. */
	private cutBatches(): Batch[] {
		const batches: Batch[] = [];
		let current: BufferedSeries[] = [];
		let buckets = 0;
		for (const series of this.open.values()) {
			if (current.length > 0 && buckets + series.minutes.size > BUCKETS_PER_BATCH) {
				batches.push({ sequence: ++this.sequence, series: current });
				current = [];
				buckets = 0;
			}
			current.push(series);
			buckets += series.minutes.size;
		}
		if (current.length > 0) batches.push({ sequence: ++this.sequence, series: current });
		this.open = new Map();
		this.openBuckets = 0;
		return batches;
	}

	/** Returns an unsent batch's counts to the open buffer (a later batch number will carry them). */
	private putBack(batch: Batch): void {
		for (const series of batch.series) {
			const key = `${series.workflowId}\u0000${seriesKey(series.id)}`;
			const current = this.open.get(key);
			if (current === undefined) {
				this.open.set(key, series);
				this.openBuckets += series.minutes.size;
				continue;
			}
			current.total.add(series.total);
			for (const [minute, set] of series.minutes) {
				const bucket = current.minutes.get(minute);
				if (bucket !== undefined) {
					bucket.add(set);
				} else {
					current.minutes.set(minute, set);
					this.openBuckets++;
				}
			}
		}
	}

	private async send(batch: Batch): Promise<number> {
		const { keys, settings, clock } = this.connection;
		const keyList = [keys.metricsSequence(this.writerId), keys.workflows()];
		const positions = new Map<string, number>();
		const at = (key: string): string => {
			let position = positions.get(key);
			if (position === undefined) {
				keyList.push(key);
				position = keyList.length; // Lua's KEYS is 1-based
				positions.set(key, position);
			}
			return String(position);
		};
		const args: string[] = [String(batch.sequence), String(SEQUENCE_TTL_MS)];
		const retention = settings.metricsRetentionMinutes;
		const oldestMinute = Math.floor(clock.now() / MINUTE_MS) - retention;
		const workflows = new Set<string>();
		for (const { workflowId, id, total, minutes } of batch.series) {
			if (!workflows.has(workflowId)) {
				workflows.add(workflowId);
				args.push('S', '2', workflowId);
			}
			args.push('S', at(keys.series(workflowId)), canonicalJson(id));
			const totals = counterIncrements(total);
			args.push('H', at(keys.metrics(workflowId, id, 'all')), '0', String(totals.length / 2), ...totals);
			for (const [minute, set] of minutes) {
				if (minute < oldestMinute) continue; // already past retention: it counts in the totals only
				const expireAt = String((minute + retention + 1) * MINUTE_MS + EXPIRY_MARGIN_MS);
				const fields = counterIncrements(set);
				args.push('H', at(keys.metrics(workflowId, id, minute)), expireAt, String(fields.length / 2), ...fields);
				args.push('Z', at(keys.metricsMinutes(workflowId, id)), String(minute), String(oldestMinute), expireAt);
			}
		}
		await this.connection.run((client) => FLUSH.run(client, keyList, args));
		return args.reduce((sum, arg) => sum + arg.length + 1, 0) + keyList.reduce((sum, key) => sum + key.length + 1, 0);
	}
}
