import type { TemplateDelegate } from 'handlebars';
import { KNOWN_HELPERS, templateEnvironment } from './environment';

/** The parts of a Handlebars environment that `Handlebars.compile` uses internally and its types leave out. */
interface CompilerPipeline {
	Compiler: new () => { compile(program: hbs.AST.Program, options: CompileOptions): unknown };
	JavaScriptCompiler: new () => {
		compile(environment: unknown, options: CompileOptions, context: undefined, asObject: true): TemplateSpecification;
	};
	parse(input: hbs.AST.Program, options: CompileOptions): hbs.AST.Program;
}

/**
 * Compiles a parsed template into its render function now, not on first render.
 *
 * `Handlebars.compile` only returns a wrapper that compiles on its first call: compile errors would surface in
 * the first render, and the first item would pay for compilation. This runs the same pipeline `compile` runs in
 * that first call, using the environment's compiler classes (the extension points Handlebars exposes for custom
 * compilers): whitespace control, then `Compiler` (AST to opcodes), then `JavaScriptCompiler` (opcodes to the
 * template spec object), then `template` (the spec bound to our environment). The result is the function the
 * lazy wrapper would call, so a render through it costs what a render of `Handlebars.compile`'s function costs,
 * minus one indirection. Tests pin the behaviour to handlebars 4.7.x.
 */
export function compileProgram(
	program: hbs.AST.Program,
	options: { strict: boolean; noEscape: boolean },
): TemplateDelegate {
	const compileOptions: CompileOptions = {
		data: true,
		knownHelpers: KNOWN_HELPERS,
		knownHelpersOnly: true,
		strict: options.strict,
		noEscape: options.noEscape,
	};
	const pipeline = templateEnvironment as typeof templateEnvironment & CompilerPipeline;
	// The program comes from `parseWithoutProcessing`; `parse` applies the whitespace rules to it exactly once.
	const processed = pipeline.parse(program, compileOptions);
	const opcodes = new pipeline.Compiler().compile(processed, compileOptions);
	const spec = new pipeline.JavaScriptCompiler().compile(opcodes, compileOptions, undefined, true);
	return templateEnvironment.template(spec);
}
