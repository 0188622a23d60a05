import Handlebars from 'handlebars';
import { isStringLengthError } from './byteLimits';
import { SAFE_HELPERS, type HelperBody } from './helperCatalog';
import { spendLoopBudget } from './loopBudget';
import { TemplateError, TemplateRenderError, type TemplatePosition } from './templateErrors';

/**
 * The one Handlebars environment every template compiles and renders in. It is private to this package, so
 * helpers registered elsewhere in the n8n process (on the global `Handlebars`) never reach our templates and ours
 * never reach theirs.
 */
export const templateEnvironment = Handlebars.create();

// `lookup` reads a property whose name is computed at render time and `log` writes to the console: both widen
// what an untrusted template can do. `inline` is the decorator that defines partials, which we do not support.
templateEnvironment.unregisterHelper('lookup');
templateEnvironment.unregisterHelper('log');
templateEnvironment.unregisterDecorator('inline');
templateEnvironment.registerHelper('each', spendLoopBudget(templateEnvironment.helpers.each));
for (const [name, helper] of SAFE_HELPERS) templateEnvironment.registerHelper(name, toHandlebarsHelper(name, helper.body));

/**
 * For `knownHelpersOnly`. Handlebars' compiler starts from its own list, in which `log`, `lookup`,
 * `helperMissing` and `blockHelperMissing` are known: they must be switched off here, or `{{lookup this "x"}}`
 * would still compile into a helper call.
 */
export const KNOWN_HELPERS: Record<string, boolean> = {
	if: true,
	unless: true,
	each: true,
	with: true,
	log: false,
	lookup: false,
	helperMissing: false,
	blockHelperMissing: false,
	...Object.fromEntries([...SAFE_HELPERS.keys()].map((name) => [name, true])),
};

/**
 * Passed to every render. The prototype settings are Handlebars' defaults, set explicitly because an explicit
 * `false` also stops Handlebars from printing a console warning for every denied property.
 */
export const RUNTIME_OPTIONS: Readonly<Handlebars.RuntimeOptions> = Object.freeze({
	allowProtoPropertiesByDefault: false,
	allowProtoMethodsByDefault: false,
	allowCallsToHelperMissing: false,
});

interface HelperCallOptions {
	loc?: { start?: { line: number; column: number } };
}

/** Adapts a helper body to Handlebars' calling convention and names the helper and position in its errors. */
function toHandlebarsHelper(name: string, body: HelperBody): Handlebars.HelperDelegate {
	return function safeHelper(...args: unknown[]): unknown {
		const options = args.pop() as HelperCallOptions | undefined;
		try {
			return body(args);
		} catch (error) {
			// An oversized result is the render's output-size error, which the render reports itself.
			if (error instanceof TemplateError || isStringLengthError(error)) throw error;
			const reason = error instanceof Error ? error.message : String(error);
			throw new TemplateRenderError(reason, name, positionOf(options));
		}
	};
}

function positionOf(options: HelperCallOptions | undefined): TemplatePosition | undefined {
	const start = options?.loc?.start;
	return start === undefined ? undefined : { line: start.line, column: start.column + 1 };
}
