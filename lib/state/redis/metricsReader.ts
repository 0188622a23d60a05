import type { Redis } from 'ioredis';
import { CounterSet, MINUTE_MS, type MetricsWindow, type SeriesId } from '../../metrics';
import { isPlainObject } from '../../shared/json';
import type { MetricsQuery, MetricsReading } from '../stateStore';
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
 * Reads and resets the metrics the flush script writes: per series an all-time hash, per-minute hashes and an
 * index of its minutes, listed in the workflow's series set. Windows are summed here from the minute hashes.
 */
export class RedisMetricsReader {
	constructor(private readonly connection: RedisConnection) {}

	async read(workflowId: string, query: MetricsQuery): Promise<MetricsReading[]> {
		const allTime = query.sinceMs === undefined && query.untilMs === undefined;
		const range = minuteRange(query, this.connection.clock.now());
		return this.connection.run(async (client) => {
			const series = await this.seriesInScope(client, workflowId, query.scope);
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
		workflowId: string,
		query: Required<MetricsWindow> & Pick<MetricsQuery, 'scope'>,
		filter?: (series: WorkflowSeries) => boolean,
	): Promise<Array<{ minute: number; counters: CounterSet }>> {
		const range = minuteRange(query, this.connection.clock.now());
		return this.connection.run(async (client) => {
			const series = (await this.seriesInScope(client, workflowId, query.scope)).filter((id) => filter === undefined || filter(id));
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

	/** Deletes every metric key of the scope; returns how many workflows that covered. */
	async reset(workflowId: string, scope: MetricsQuery['scope']): Promise<number> {
		const { keys } = this.connection;
		return this.connection.run(async (client) => {
			const workflowIds = await this.workflowsInScope(client, workflowId, scope);
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

	async workflowsInScope(client: Redis, workflowId: string, scope: MetricsQuery['scope']): Promise<string[]> {
		if (scope !== 'all') return [workflowId];
		return (await client.smembers(this.connection.keys.workflows())).sort();
	}

	private async seriesInScope(client: Redis, workflowId: string, scope: MetricsQuery['scope']): Promise<WorkflowSeries[]> {
		return this.seriesOf(client, await this.workflowsInScope(client, workflowId, scope));
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
