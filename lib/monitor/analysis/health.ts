import { summarize } from '../../metrics';
import { identityOf, type AnalysedComponent, type ComponentIdentity } from './componentIdentity';
import { roundTo } from './format';

export interface HealthOptions {
	/** The p95 latency a component should stay under. @default 2000 */
	latencySloMs?: number;
}

export interface HealthPenalties {
	errors: number;
	latency: number;
	cacheMisses: number;
	retries: number;
}

export interface ComponentHealth extends ComponentIdentity {
	calls: number;
	/** 0..100, integer. */
	score: number;
	/** Points taken off, to two decimals. */
	penalties: HealthPenalties;
}

export interface HealthReport {
	/** 0..100, integer. */
	score: number;
	formula: string;
	components: ComponentHealth[];
}

export const DEFAULT_LATENCY_SLO_MS = 2000;

/** Maximum points each problem can take off, and where it reaches the maximum (latency: at twice the SLO). */
export const HEALTH_WEIGHTS = {
	errors: { points: 50, fullAtErrorRate: 0.05 },
	latency: { points: 25 },
	cacheMisses: { points: 15 },
	retries: { points: 10, fullAtRetriesPerCall: 0.2 },
} as const;

/** How the score is computed, word for word as the README quotes it. */
export const HEALTH_SCORE_FORMULA =
	'Per component: 100 - errors - latency - cacheMisses - retries, where ' +
	'errors = 50 × min(1, errorRate / 5%), ' +
	'latency = 25 × min(1, max(0, p95 / SLO - 1)), ' +
	'cacheMisses = 15 × (1 - hitRate) (only for components that use a cache), ' +
	'retries = 10 × min(1, retries per call / 0.2). ' +
	'Overall: the mean of the component scores weighted by calls (100 without calls), rounded.';

/**
 * A 0-100 score per component and overall. Errors weigh most because a failed call is lost work; a p95 at
 * twice the SLO costs the full latency share; cache misses cost little because some misses are unavoidable.
 * Components without calls are left out: they have nothing to score and would weigh 0 anyway.
 */
export function healthScore(components: readonly AnalysedComponent[], options: HealthOptions = {}): HealthReport {
	const latencySloMs = options.latencySloMs ?? DEFAULT_LATENCY_SLO_MS;
	if (!(latencySloMs > 0) || !Number.isFinite(latencySloMs)) {
		throw new RangeError(`Expected \`latencySloMs\` to be a positive number of milliseconds, got ${latencySloMs}`);
	}
	let weightedSum = 0;
	let totalCalls = 0;
	const scored: ComponentHealth[] = [];
	for (const component of components) {
		const { calls } = component.counters;
		if (calls === 0) continue;
		const penalties = penaltiesOf(component, latencySloMs);
		const score = 100 - penalties.errors - penalties.latency - penalties.cacheMisses - penalties.retries;
		weightedSum += score * calls;
		totalCalls += calls;
		scored.push({
			...identityOf(component),
			calls,
			score: Math.round(score),
			penalties: {
				errors: roundTo(penalties.errors, 2),
				latency: roundTo(penalties.latency, 2),
				cacheMisses: roundTo(penalties.cacheMisses, 2),
				retries: roundTo(penalties.retries, 2),
			},
		});
	}
	return {
		score: totalCalls === 0 ? 100 : Math.round(weightedSum / totalCalls),
		formula: `${HEALTH_SCORE_FORMULA} SLO: p95 ${latencySloMs} ms.`,
		components: scored,
	};
}

function penaltiesOf(component: AnalysedComponent, latencySloMs: number): HealthPenalties {
	const summary = summarize(component.counters);
	const { errors, latency, cacheMisses, retries } = HEALTH_WEIGHTS;
	const errorRate = summary.errorRate ?? 0;
	const p95 = summary.latencyMs.p95 ?? 0;
	const hitRate = summary.cache.hitRate;
	const retriesPerCall = summary.retries / summary.calls;
	return {
		errors: errors.points * Math.min(1, errorRate / errors.fullAtErrorRate),
		latency: latency.points * Math.min(1, Math.max(0, p95 / latencySloMs - 1)),
		cacheMisses: hitRate === null ? 0 : cacheMisses.points * (1 - hitRate),
		retries: retries.points * Math.min(1, retriesPerCall / retries.fullAtRetriesPerCall),
	};
}
