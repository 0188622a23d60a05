import { summarize } from '../../metrics';
import { suggestionsFor } from './bottleneckSuggestions';
import { identityKey, identityOf, type AnalysedComponent, type ComponentIdentity } from './componentIdentity';
import { roundTo } from './format';

export type Impact = 'high' | 'medium' | 'low';

export interface Bottleneck extends ComponentIdentity {
	/** This component's share of the summed duration of all components in the window, 0..100. */
	shareOfTimePct: number;
	calls: number;
	p95Ms: number;
	/** p95 in the previous window; null when the component had no calls then. */
	previousP95Ms: number | null;
	/** (p95 − previous p95) / previous p95 × 100; negative when it got faster, null without a previous p95. */
	latencyRegressionPct: number | null;
	errorRate: number;
	/** Null when the component did not use a cache. */
	hitRate: number | null;
	impact: Impact;
	suggestions: string[];
}

/** A component is `high` impact when any `high` bound is reached, else `medium` when any `medium` bound is. */
export const IMPACT_THRESHOLDS = {
	high: { sharePct: 50, errorRate: 0.1, regressionPct: 100 },
	medium: { sharePct: 20, errorRate: 0.02, regressionPct: 50 },
} as const;

/**
 * Components ranked by how much of the workflow's time they take (summed durations, so a node called often
 * counts as much as a slow one), ties broken by the larger p95 regression. Components without calls in the
 * current window are left out. `previous` is the window of the same length just before, for regressions.
 */
export function findBottlenecks(
	current: readonly AnalysedComponent[],
	previous: readonly AnalysedComponent[],
	windowMinutes: number,
): Bottleneck[] {
	if (!(windowMinutes > 0) || !Number.isFinite(windowMinutes)) {
		throw new RangeError(`Expected \`windowMinutes\` to be a positive number, got ${windowMinutes}`);
	}
	const active = current.filter((component) => component.counters.calls > 0);
	let totalDurationMs = 0;
	for (const component of active) totalDurationMs += component.counters.durationMsSum;
	const previousP95 = new Map<string, number | null>();
	for (const component of previous) {
		previousP95.set(identityKey(component), summarize(component.counters).latencyMs.p95);
	}

	const bottlenecks = active.map((component): Bottleneck => {
		const summary = summarize(component.counters, windowMinutes);
		// With calls there is always a p95; the fallback only satisfies the type.
		const p95Ms = summary.latencyMs.p95 ?? 0;
		const previousP95Ms = previousP95.get(identityKey(component)) ?? null;
		const latencyRegressionPct =
			previousP95Ms === null || previousP95Ms <= 0 ? null : roundTo(((p95Ms - previousP95Ms) / previousP95Ms) * 100, 1);
		const shareOfTimePct =
			totalDurationMs > 0 ? roundTo((component.counters.durationMsSum / totalDurationMs) * 100, 1) : 0;
		const errorRate = summary.errorRate ?? 0;
		return {
			...identityOf(component),
			shareOfTimePct,
			calls: summary.calls,
			p95Ms,
			previousP95Ms,
			latencyRegressionPct,
			errorRate,
			hitRate: summary.cache.hitRate,
			impact: impactOf(shareOfTimePct, errorRate, latencyRegressionPct),
			suggestions: suggestionsFor({
				nodeType: component.nodeType,
				counters: component.counters,
				windowMinutes,
				shareOfTimePct,
				p95Ms,
				previousP95Ms,
				latencyRegressionPct,
			}),
		};
	});

	return bottlenecks.sort(byTimeThenRegression);
}

/** Compares the shares as reported (rounded), so two components both shown at 33.3% are ordered by regression. */
function byTimeThenRegression(a: Bottleneck, b: Bottleneck): number {
	if (a.shareOfTimePct !== b.shareOfTimePct) return b.shareOfTimePct - a.shareOfTimePct;
	const regressionA = a.latencyRegressionPct ?? -Infinity;
	const regressionB = b.latencyRegressionPct ?? -Infinity;
	if (regressionA === regressionB) return 0;
	return regressionB > regressionA ? 1 : -1;
}

function impactOf(sharePct: number, errorRate: number, regressionPct: number | null): Impact {
	const regression = regressionPct ?? 0;
	const { high, medium } = IMPACT_THRESHOLDS;
	if (sharePct >= high.sharePct || errorRate >= high.errorRate || regression >= high.regressionPct) return 'high';
	if (sharePct >= medium.sharePct || errorRate >= medium.errorRate || regression >= medium.regressionPct) return 'medium';
	return 'low';
}
