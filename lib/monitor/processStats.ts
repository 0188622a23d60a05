import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

export interface ProcessStats {
	/** CPU time used by this process since the previous reading, as a percentage of one core's wall time. */
	cpuPercent: number;
	rssBytes: number;
	heapUsedBytes: number;
	heapTotalBytes: number;
	/** 99th percentile of event-loop delay since the previous reading; a busy loop delays every workflow. */
	eventLoopDelayP99Ms: number;
	uptimeSeconds: number;
}

/**
 * Reads the n8n process's own health: CPU, memory and event-loop delay. Keeps one event-loop delay histogram
 * running for the whole process (started on first use); each reading covers the time since the previous one.
 */
export class ProcessStatsSampler {
	private readonly loopDelay: IntervalHistogram;
	private lastCpu = process.cpuUsage();
	private lastAt = performance.now();

	constructor() {
		this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
		this.loopDelay.enable();
	}

	read(): ProcessStats {
		const now = performance.now();
		const cpu = process.cpuUsage(this.lastCpu);
		const elapsedMs = Math.max(1, now - this.lastAt);
		const memory = process.memoryUsage();
		const p99 = this.loopDelay.count > 0 ? this.loopDelay.percentile(99) / 1e6 : 0;
		this.lastCpu = process.cpuUsage();
		this.lastAt = now;
		this.loopDelay.reset();
		return {
			cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 1000) / 10,
			rssBytes: memory.rss,
			heapUsedBytes: memory.heapUsed,
			heapTotalBytes: memory.heapTotal,
			eventLoopDelayP99Ms: Math.round(p99 * 1000) / 1000,
			uptimeSeconds: Math.round(process.uptime()),
		};
	}
}

let shared: ProcessStatsSampler | undefined;

/** The process-wide sampler. */
export function processStatsSampler(): ProcessStatsSampler {
	shared ??= new ProcessStatsSampler();
	return shared;
}
