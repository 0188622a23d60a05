import type { Redis } from 'ioredis';
import { CounterSet, MINUTE_MS, type MetricEvent, type MetricsWindow, type SeriesId } from '../../metrics';
import type { Clock } from '../../shared/clock';
import { isPlainObject } from '../../shared/json';
import type { MetricsQuery, MetricsReading, StateMetrics } from '../stateStore';
import type { RedisConnection } from './connection';
import { addCounterHash } from './counterFields';

type WorkflowSeries = SeriesId & { workflowId: string };

/** Keys deleted per DEL command by a reset, so that one command never holds Redis for long. */
const DELETE_CHUNK = 500;

function parseSeriesId(member: string): SeriesId | undefined {
	try {
		const parsed: unknown = JSON.parse(member);
		if (!isPlainObject(parsed)) return undefined;
		const { nodeType, nodeName, operation } = parsed;
		if (typeof nodeType !== 'string' || typeof nodeName !== 'string' || typeof operation !== 'string') return undefined;
		return { nodeType, nodeName, operation };
	} catch {
		return undefined;
	}
}

function bySeries(a: WorkflowSeries, b: WorkflowSeries): number {
	for (const field of ['workflowId', 'nodeType', 'nodeName', 'operation'] as const) {
		if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1;
	}
	return 0;
}

/** Minute numbers covered by a window, as the in-memory metrics store counts them: [from, to). */
function minuteRange(window: MetricsWindow, now: number): { from: number; to: number } {
	return {
		from: Math.floor((window.sinceMs ?? 0) / MINUTE_MS),
		to: Math.ceil((window.untilMs ?? now + 1) / MINUTE_MS),
	};
}

/**
 * One workflow's metrics in Redis. Events go to the connection's buffer (sent by `commit` or the next read);
 * reads and resets work on what the flush script writes: per series an all-time hash, per-minute hashes and an
 * index of its minutes, listed in the workflow's series set. Windows are summed here from the minute hashes.
 */
export class RedisMetrics implements StateMetrics {
	constructor(
		private readonly connection: RedisConnection,
		private readonly workflowId: string,
		/** Times events that carry no time of their own. */
		private readonly clock: Clock,
	) {}

	record(event: MetricEvent): void {
		this.connection.metrics.record(this.workflowId, event, event.at ?? this.clock.now());
	}

	/** What this process recorded is part of the answer, as it is in memory. */
	async read(query: MetricsQuery = {}): Promise<MetricsReading[]> {
		await this.connection.metrics.flush();
		const allTime = query.sinceMs === undefined && query.untilMs === undefined;
		const range = minuteRange(query, this.connection.clock.now());
		return this.connection.run(async (client) => {
			const series = await this.seriesInScope(client, this.workflowId, query.scope);
			const readings = await Promise.all(
				series.map(async (id) => {
					const counters = new CounterSet();
					const keys = allTime
						? [this.connection.keys.metrics(id.workflowId, id, 'all')]
						: (await this.minutesOf(client, id, range)).map((minute) => this.connection.keys.metrics(id.workflowId, id, minute));
					for (const hash of await Promise.all(keys.map((key) => client.hgetall(key)))) addCounterHash(counters, hash);
					return { ...id, counters };
				}),
			);
			return readings;
		});
	}

	async minuteSeries(
		query: Required<MetricsWindow> & Pick<MetricsQuery, 'scope'>,
		filter?: (series: WorkflowSeries) => boolean,
	): Promise<Array<{ minute: number; counters: CounterSet }>> {
		await this.connection.metrics.flush();
		const range = minuteRange(query, this.connection.clock.now());
		return this.connection.run(async (client) => {
			const series = (await this.seriesInScope(client, this.workflowId, query.scope)).filter((id) => filter === undefined || filter(id));
			const byMinute = new Map<number, CounterSet>();
			await Promise.all(
				series.map(async (id) => {
					const minutes = await this.minutesOf(client, id, range);
					const hashes = await Promise.all(minutes.map((minute) => client.hgetall(this.connection.keys.metrics(id.workflowId, id, minute))));
					minutes.forEach((minute, index) => {
						let sum = byMinute.get(minute);
						if (sum === undefined) byMinute.set(minute, (sum = new CounterSet()));
						addCounterHash(sum, hashes[index]);
					});
				}),
			);
			return [...byMinute.entries()].sort((a, b) => a[0] - b[0]).map(([minute, counters]) => ({ minute, counters }));
		});
	}

	/**
	 * Deletes every metric key of the scope, and what this process has buffered for it; returns how many workflows
	 * that covered. Counts other processes still buffer from before the reset land afterwards (there is no reset
	 * epoch across processes).
	 */
	async reset(scope: MetricsQuery['scope'] = 'workflow'): Promise<number> {
		this.connection.metrics.discard(scope === 'all' ? undefined : new Set([this.workflowId]));
		const { keys } = this.connection;
		return this.connection.run(async (client) => {
			const workflowIds = await workflowsInScope(this.connection, client, this.workflowId, scope);
			const series = await this.seriesOf(client, workflowIds);
			const doomed = workflowIds.map((id) => keys.series(id));
			await Promise.all(
				series.map(async (id) => {
					const index = keys.metricsMinutes(id.workflowId, id);
					const minutes = await client.zrange(index, 0, -1);
					doomed.push(index, keys.metrics(id.workflowId, id, 'all'));
					for (const minute of minutes) doomed.push(keys.metrics(id.workflowId, id, Number(minute)));
				}),
			);
			const deletions: Array<Promise<number>> = [];
			for (let start = 0; start < doomed.length; start += DELETE_CHUNK) {
				deletions.push(client.del(...doomed.slice(start, start + DELETE_CHUNK)));
			}
			await Promise.all(deletions);
			return workflowIds.length;
		});
	}

	private async seriesInScope(client: Redis, workflowId: string, scope: MetricsQuery['scope']): Promise<WorkflowSeries[]> {
		return this.seriesOf(client, await workflowsInScope(this.connection, client, workflowId, scope));
	}

	private async seriesOf(client: Redis, workflowIds: string[]): Promise<WorkflowSeries[]> {
		const members = await Promise.all(workflowIds.map((id) => client.smembers(this.connection.keys.series(id))));
		const series: WorkflowSeries[] = [];
		workflowIds.forEach((workflowId, index) => {
			for (const member of members[index]) {
				const id = parseSeriesId(member);
				if (id !== undefined) series.push({ workflowId, ...id });
			}
		});
		return series.sort(bySeries);
	}

	private async minutesOf(client: Redis, id: WorkflowSeries, range: { from: number; to: number }): Promise<number[]> {
		const members = await client.zrangebyscore(this.connection.keys.metricsMinutes(id.workflowId, id), range.from, `(${range.to}`);
		return members.map(Number);
	}
}

/** The workflows a report covers: the given one, or every workflow the backend knows of. */
export async function workflowsInScope(
	connection: RedisConnection,
	client: Redis,
	workflowId: string,
	scope: MetricsQuery['scope'],
): Promise<string[]> {
	if (scope !== 'all') return [workflowId];
	return (await client.smembers(connection.keys.workflows())).sort();
}
