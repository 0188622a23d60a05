export {
	compileTemplate,
	templateHash,
	DEFAULT_MAX_LOOP_ITERATIONS,
	type CompileOptions,
	type CompiledTemplate,
	type RenderOptions,
	type TemplateFormat,
} from './compileTemplate';
export {
	CompiledTemplateCache,
	type CompiledTemplateCacheStats,
	type CompiledTemplateLookup,
} from './compiledTemplateCache';
export { HELPER_NAMES } from './helperCatalog';
export { findTemplateVariables, collectTemplateVariables, type TemplateVariables } from './templateVariables';
export {
	LoopLimitError,
	MissingVariableError,
	OutputTooLargeError,
	TemplateError,
	TemplateRenderError,
	TemplateSyntaxError,
	TemplateTooLargeError,
	type TemplateErrorCode,
	type TemplatePosition,
} from './templateErrors';
