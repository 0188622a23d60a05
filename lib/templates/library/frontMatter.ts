import { extname } from 'node:path';
import YAML, { YAMLError } from 'yaml';
import { isPlainObject } from '../../shared/json';
import { describeValue, TEMPLATE_FIELDS, validateTemplateInput, type TemplateFormat, type TemplateInput } from './templateDocument';

/** File extensions a folder library reads, and the format each one implies when front matter names none. */
export const TEMPLATE_FILE_FORMATS: Readonly<Record<string, TemplateFormat>> = {
	'.hbs': 'text',
	'.txt': 'text',
	'.md': 'markdown',
	'.html': 'html',
};

export interface TemplateFile {
	meta: Omit<TemplateInput, 'body'> & { format: TemplateFormat };
	body: string;
}

const OPENING_LINE = /^---[ \t]*\r?\n/;
const CLOSING_LINE = /^---[ \t]*(?:\r?\n|$)/m;
/** Keys front matter may set: every template field but the body, which is the rest of the file. */
const FRONT_MATTER_KEYS = TEMPLATE_FIELDS.filter((field) => field !== 'body');

/**
 * Splits a template file into metadata and body. Front matter is optional: YAML between a first line `---` and
 * the next `---` line. Defaults: id = file name without extension, name = id, format from the extension.
 * Every error names the file.
 */
export function parseTemplateFile(fileName: string, text: string): TemplateFile {
	const extension = extname(fileName).toLowerCase();
	const extensionFormat = TEMPLATE_FILE_FORMATS[extension];
	if (extensionFormat === undefined) {
		throw fileError(fileName, `expected one of the extensions ${Object.keys(TEMPLATE_FILE_FORMATS).join(', ')}`);
	}
	const { frontMatter, body } = splitFrontMatter(fileName, text.replace(/^\uFEFF/, ''));
	const declared = frontMatter === undefined ? {} : parseFrontMatter(fileName, frontMatter);
	const defaultId = fileName.slice(0, fileName.length - extension.length);
	try {
		// Size is the caller's business (it knows the file's bytes before reading it), hence no limit here.
		const { body: checkedBody, ...meta } = validateTemplateInput({ id: defaultId, ...declared, body }, Number.POSITIVE_INFINITY);
		return { meta: { ...meta, format: meta.format ?? extensionFormat }, body: checkedBody };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		const hint = declared.id === undefined && reason.includes('`id`') ? ' (rename the file or set `id` in front matter)' : '';
		throw fileError(fileName, `${reason}${hint}`, error);
	}
}

function splitFrontMatter(fileName: string, text: string): { frontMatter?: string; body: string } {
	const opening = OPENING_LINE.exec(text);
	if (opening === null) return { body: text };
	const rest = text.slice(opening[0].length);
	const closing = CLOSING_LINE.exec(rest);
	if (closing === null) throw fileError(fileName, 'front matter opens with "---" on line 1 but has no closing "---" line');
	return { frontMatter: rest.slice(0, closing.index), body: rest.slice(closing.index + closing[0].length) };
}

function parseFrontMatter(fileName: string, source: string): Record<string, unknown> {
	let parsed: unknown;
	try {
		// The core schema builds plain data only (no custom tags, nothing runs); unknown tags would only warn,
		// and warnings are silenced because engines never print.
		parsed = YAML.parse(source, { schema: 'core', logLevel: 'error' });
	} catch (error) {
		// Unresolved aliases and the like surface as plain errors, not YAMLError.
		if (!(error instanceof Error)) throw error;
		// yaml's position counts from the front matter's first line, which is the file's second line.
		const position = error instanceof YAMLError && error.linePos ? ` at line ${error.linePos[0].line + 1}` : '';
		const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
		throw fileError(fileName, `front matter is not valid YAML${position}: ${reason}`, error);
	}
	if (parsed === null || parsed === undefined) return {};
	if (!isPlainObject(parsed)) throw fileError(fileName, `expected front matter to be a YAML mapping, got ${describeValue(parsed)}`);
	for (const key of Object.keys(parsed)) {
		if (!FRONT_MATTER_KEYS.includes(key)) {
			throw fileError(fileName, `unknown front matter key "${key}"; expected one of ${FRONT_MATTER_KEYS.join(', ')}`);
		}
	}
	return parsed;
}

function fileError(fileName: string, reason: string, cause?: unknown): Error {
	return new Error(`Template file "${fileName}": ${reason}`, cause === undefined ? undefined : { cause });
}
