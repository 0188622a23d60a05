import {
	CompiledTemplateCache,
	TemplateSyntaxError,
	TemplateTooLargeError,
	type CompileOptions,
} from '../../../../lib/templates/render';

const TEXT: CompileOptions = { format: 'text', strict: false, maxTemplateBytes: 1_000 };

describe('CompiledTemplateCache', () => {
	it('compiles on a miss and serves the same template on hits', () => {
		const cache = new CompiledTemplateCache();
		const first = cache.get('Hi {{name}}', TEXT);
		const second = cache.get('Hi {{name}}', TEXT);
		expect(first.hit).toBe(false);
		expect(second.hit).toBe(true);
		expect(second.template).toBe(first.template);
		expect(second.template.render({ name: 'Ann' }, { maxOutputBytes: 100 })).toBe('Hi Ann');
		expect(cache.stats()).toEqual({ hits: 1, misses: 1, size: 1 });
	});

	it('keys by source, format and strict mode', () => {
		const cache = new CompiledTemplateCache();
		cache.get('{{a}}', TEXT);
		expect(cache.get('{{a}}', { ...TEXT, format: 'html' }).hit).toBe(false);
		expect(cache.get('{{a}}', { ...TEXT, strict: true }).hit).toBe(false);
		expect(cache.get('{{b}}', TEXT).hit).toBe(false);
		expect(cache.get('{{a}}', TEXT).hit).toBe(true);
		expect(cache.get('{{a}}', { ...TEXT, maxTemplateBytes: 500 }).hit).toBe(true);
		expect(cache.stats()).toEqual({ hits: 2, misses: 4, size: 4 });
	});

	it('finds equal sources that are different strings', () => {
		const cache = new CompiledTemplateCache();
		const source = JSON.parse('"{{a}} {{b}}"') as string;
		cache.get(source, TEXT);
		cache.get('{{c}}', TEXT);
		expect(cache.get(JSON.parse('"{{a}} {{b}}"') as string, TEXT).hit).toBe(true);
	});

	it('keeps at most maxEntries templates, the least recently used leaving first', () => {
		const cache = new CompiledTemplateCache(2);
		cache.get('{{a}}', TEXT);
		cache.get('{{b}}', TEXT);
		cache.get('{{a}}', TEXT);
		cache.get('{{c}}', TEXT);
		expect(cache.stats().size).toBe(2);
		expect(cache.get('{{a}}', TEXT).hit).toBe(true);
		expect(cache.get('{{c}}', TEXT).hit).toBe(true);
		expect(cache.get('{{b}}', TEXT).hit).toBe(false);
	});

	it('remembers compile failures so that a broken template is parsed once', () => {
		const cache = new CompiledTemplateCache();
		expect(() => cache.get('{{#if}}', TEXT)).toThrow(TemplateSyntaxError);
		expect(() => cache.get('{{#if}}', TEXT)).toThrow(TemplateSyntaxError);
		expect(cache.stats()).toEqual({ hits: 1, misses: 1, size: 1 });
	});

	it('checks the size limit on every lookup, hits included', () => {
		const cache = new CompiledTemplateCache();
		cache.get('{{abc}}', TEXT);
		expect(() => cache.get('{{abc}}', { ...TEXT, maxTemplateBytes: 5 })).toThrow(TemplateTooLargeError);
	});

	it('refuses an unbounded size and bad options', () => {
		expect(() => new CompiledTemplateCache(0)).toThrow('Expected `maxEntries` to be an integer from 1 and up, got 0');
		expect(() => new CompiledTemplateCache(Number.POSITIVE_INFINITY)).toThrow('maxEntries');
		const loose = { ...TEXT, strict: 'yes' as unknown as boolean };
		expect(() => new CompiledTemplateCache().get('x', loose)).toThrow('Expected `strict`');
	});
});
