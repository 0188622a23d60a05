import type { HelperDelegate, HelperOptions, RuntimeOptions } from 'handlebars';
import { LoopLimitError, OutputTooLargeError } from './templateErrors';

/**
 * Output is only measured after a render, which is too late for nested loops: `{{#each list}}` inside
 * `{{#each @root.list}}` runs rows x rows times, so a small item can take minutes and gigabytes. Every `{{#each}}`
 * (and every `{{#list}}` section over an array, which Handlebars runs through `each`) therefore spends from the
 * budget of the render in progress and stops the render once it is used up.
 */
export interface LoopBudget {
	iterationsLeft: number;
	readonly maxIterations: number;
	readonly maxOutputBytes: number;
}

/** Renders are synchronous and helpers never start one, so one render at a time holds the budget. */
let activeBudget: LoopBudget | undefined;

/** Gives the render about to start its budget; returns the one it replaces, for {@link restoreLoopBudget}. */
export function openLoopBudget(maxIterations: number, maxOutputBytes: number): LoopBudget | undefined {
	const previous = activeBudget;
	activeBudget = { iterationsLeft: maxIterations, maxIterations, maxOutputBytes };
	return previous;
}

export function restoreLoopBudget(previous: LoopBudget | undefined): void {
	activeBudget = previous;
}

/** Wraps Handlebars' `each` so that every row spends from the active budget; its behaviour is otherwise unchanged. */
export function spendLoopBudget(each: HelperDelegate): HelperDelegate {
	return function eachWithinBudget(this: unknown, context: unknown, options: HelperOptions): unknown {
		const budget = activeBudget;
		if (budget === undefined || options === undefined || typeof options.fn !== 'function') {
			return each.call(this, context, options);
		}
		const row = options.fn;
		// Characters never outnumber UTF-8 bytes, so counting characters never stops a render that fits.
		let emitted = 0;
		// Handlebars builds a new options object for every helper call: replacing `fn` affects this loop only.
		options.fn = function rowWithinBudget(this: unknown, item: unknown, rowOptions?: RuntimeOptions): string {
			if (--budget.iterationsLeft < 0) throw new LoopLimitError(budget.maxIterations);
			const chunk = row.call(this, item, rowOptions);
			emitted += chunk.length;
			if (emitted > budget.maxOutputBytes) throw new OutputTooLargeError(budget.maxOutputBytes);
			return chunk;
		};
		return each.call(this, context, options);
	};
}
