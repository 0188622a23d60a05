import { processSingleton } from '../../../lib/state';
import { FolderLibrary, TemplateIndexCache } from '../../../lib/templates/library';
import { MappingPlanCache } from '../../../lib/templates/mapping';
import { CompiledTemplateCache } from '../../../lib/templates/render';

/** Compiled templates by source, shared by populate and save (which compiles to check a template). */
export const compiledTemplates = processSingleton('templates:compiled', () => new CompiledTemplateCache(500));

/** Mapping plans by item shape, so items of the same shape are mapped without planning again. */
export const mappingPlans = processSingleton('templates:plans', () => new MappingPlanCache());

/** Search indexes by library and version: rebuilt only when a library changed. */
export const templateIndexes = processSingleton('templates:indexes', () => new TemplateIndexCache());

/** Folder libraries by real path: each re-reads only the files that changed. */
export const templateFolders = processSingleton('templates:folders', () => new Map<string, FolderLibrary>());
