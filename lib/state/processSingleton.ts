import type { ProcessState } from './processState';

/**
 * A process-wide helper object (a compiled-template cache, a search-index cache), declared once where it is
 * defined and imported where it is used: `compiledTemplates(process)` returns the one object of that process
 * state, created on first use. It lives in the {@link ProcessState}, so a reset or shutdown of the process state
 * drops it (and closes it when it has a `close` method).
 */
export function processSingleton<T>(name: string, create: (process: ProcessState) => T): (process: ProcessState) => T {
	return (process) => process.shared(name, () => create(process));
}

/**
 * A family of process-wide objects, one per value of `parameters` as `keyOf` names it (e.g. the dispatch pools
 * of one timeout and compression threshold). `keyOf` names what makes one member differ from another, and
 * nothing secret (names are kept in memory and may show in diagnostics).
 */
export function processSingletonFamily<P, T>(
	name: string,
	keyOf: (parameters: P) => string,
	create: (parameters: P, process: ProcessState) => T,
): (process: ProcessState, parameters: P) => T {
	return (process, parameters) => process.shared(`${name}:${keyOf(parameters)}`, () => create(parameters, process));
}
