export {
	MAX_DESCRIPTION_LENGTH,
	MAX_ID_LENGTH,
	MAX_LIST_ITEM_LENGTH,
	MAX_LIST_ITEMS,
	MAX_NAME_LENGTH,
	shortHash,
	TEMPLATE_FIELDS,
	TemplateFieldError,
	TEMPLATE_FORMATS,
	templateVersion,
	validateTemplateId,
	validateTemplateInput,
	type TemplateDocument,
	type TemplateFormat,
	type TemplateInput,
	type TemplateSource,
} from './templateDocument';
export { parseTemplateFile, TEMPLATE_FILE_FORMATS, type TemplateFile } from './frontMatter';
export {
	DEFAULT_MAX_FILES,
	DEFAULT_RESCAN_INTERVAL_MS,
	FolderLibrary,
	type FolderLibraryOptions,
	type FolderLoad,
} from './folderLibrary';
export {
	DEFAULT_WORKFLOW_LIBRARY_BYTES,
	DEFAULT_WORKFLOW_TEMPLATE_BYTES,
	LibraryFullError,
	TEMPLATE_KEY_PREFIX,
	templateKey,
	WorkflowLibrary,
	type TemplateRecords,
	type WorkflowLibraryOptions,
	type WorkflowLoad,
} from './workflowLibrary';
export { DEFAULT_SEARCH_LIMIT, MAX_QUERY_TAGS, TemplateIndex, type TemplateMatch, type TemplateSearchOptions } from './templateIndex';
export { DEFAULT_MAX_INDEXED_LIBRARIES, TemplateIndexCache, type TemplateIndexCacheOptions } from './templateIndexCache';
export { FullTextIndex, MAX_QUERY_TERMS, type FullTextField, type FullTextHit, type FullTextQueryOptions } from './fullTextIndex';
