import { buildMappingPlan } from './mapping';
import type { CompiledTemplateCache, CompiledTemplateLookup, CompileOptions } from './render';

/**
 * Every check a template passes before an item is rendered with it, whatever the item: it compiles, and each
 * variable it reads from the root is a name mapping can fill (`{{constructor.x}}` compiles, but mapping never
 * fills `constructor`). Saving a template runs exactly this, so the library only holds templates populate accepts.
 * @throws what {@link CompiledTemplateCache.get} and {@link buildMappingPlan} throw.
 */
export function compileUsableTemplate(templates: CompiledTemplateCache, source: string, options: CompileOptions): CompiledTemplateLookup {
	const lookup = templates.get(source, options);
	// Rules and item keys depend on the item; with none, the plan checks the template's variables alone.
	buildMappingPlan(lookup.template.variables, [], [], { autoMap: false });
	return lookup;
}
