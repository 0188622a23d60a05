import { RecordStore } from '../../../../lib/state/recordStore';
import { ManualClock } from '../../../../lib/shared/clock';
import type { JsonValue } from '../../../../lib/shared/json';
import type { StateStore } from '../../../../lib/state/stateStore';
import { LibraryFullError, templateVersion, WorkflowLibrary, type TemplateRecords } from '../../../../lib/templates/library';

/** lib/state's record store behind the async records API, as a state store offers it. */
function recordsOf(store: RecordStore): TemplateRecords {
	return {
		get: async (key) => store.get(key),
		set: async (key, value) => store.set(key, value),
		delete: async (key) => store.delete(key),
		list: async (prefix) => store.list(prefix),
	};
}

// Compile-time check: a node can hand its state store's records to the library as they are.
export const stateStoreRecords = (store: StateStore): TemplateRecords => store.records;

describe('WorkflowLibrary', () => {
	let clock: ManualClock;
	let store: RecordStore;
	let library: WorkflowLibrary;

	beforeEach(() => {
		clock = new ManualClock();
		store = new RecordStore(clock);
		library = new WorkflowLibrary(recordsOf(store), clock);
	});

	it('saves a template under template:<id> and returns it as a document', async () => {
		const saved = await library.save({ id: 'invoice-reminder', name: 'Invoice reminder', tags: 'billing, email', body: 'Dear {{customer}}' });

		expect(saved).toEqual({
			id: 'invoice-reminder',
			name: 'Invoice reminder',
			description: '',
			tags: ['billing', 'email'],
			required: [],
			body: 'Dear {{customer}}',
			version: templateVersion(saved),
			source: 'workflow',
			updatedAt: clock.now(),
		});
		expect(store.get('template:invoice-reminder')?.value).toEqual({
			id: 'invoice-reminder',
			name: 'Invoice reminder',
			description: '',
			tags: ['billing', 'email'],
			required: [],
			body: 'Dear {{customer}}',
		});
		expect(await library.get('invoice-reminder')).toEqual(saved);
	});

	it('lists templates sorted by id, replaces on save, and deletes', async () => {
		await library.save({ id: 'b', body: 'two' });
		await library.save({ id: 'a', body: 'one', format: 'html' });
		clock.advance(1000);
		await library.save({ id: 'b', body: 'two, edited' });

		const listed = await library.list();
		expect(listed.map((document) => [document.id, document.body])).toEqual([
			['a', 'one'],
			['b', 'two, edited'],
		]);
		expect(listed[0].format).toBe('html');
		expect(listed[1].updatedAt).toBe(clock.now());

		expect(await library.delete('a')).toBe(true);
		expect(await library.delete('a')).toBe(false);
		expect(await library.get('a')).toBeUndefined();
		expect((await library.list()).map((document) => document.id)).toEqual(['b']);
	});

	it('gives a version over ids and template versions: same content, same version', async () => {
		const empty = await library.load();
		await library.save({ id: 'a', body: 'one' });
		const one = await library.load();
		expect(one.version).not.toBe(empty.version);
		expect((await library.load()).version).toBe(one.version);

		clock.advance(1000);
		await library.save({ id: 'a', body: 'one' });
		expect((await library.load()).version).toBe(one.version);
		await library.save({ id: 'a', body: 'one!' });
		expect((await library.load()).version).not.toBe(one.version);
	});

	it('reuses checked documents while their record is unchanged', async () => {
		await library.save({ id: 'a', body: 'one' });
		const first = await library.list();
		expect((await library.list())[0]).toBe(first[0]);
		clock.advance(1);
		await library.save({ id: 'a', body: 'two' });
		expect((await library.list())[0].body).toBe('two');
	});

	it('refuses bad input, naming the field', async () => {
		await expect(library.save({ id: 'no spaces', body: 'x' })).rejects.toThrow(/`id` to use only letters/);
		await expect(library.save({ id: 'a' })).rejects.toThrow(/`body` to be a non-empty string/);
		await expect(library.get('../a')).rejects.toThrow(/`id` to use only letters/);
		await expect(library.delete('')).rejects.toThrow(/`id` to be a non-empty string/);
	});

	it('limits a body and the whole library', async () => {
		const small = new WorkflowLibrary(recordsOf(store), clock, { maxTemplateBytes: 100, maxLibraryBytes: 400 });
		await expect(small.save({ id: 'a', body: 'x'.repeat(101) })).rejects.toThrow('Expected `body` to take at most 100 bytes, got 101');
		await small.save({ id: 'a', body: 'x'.repeat(100) });
		await small.save({ id: 'b', body: 'x'.repeat(100) });
		const full = small.save({ id: 'c', body: 'x'.repeat(100) });
		await expect(full).rejects.toThrow(/^Template "c" takes 1\d\d bytes, but the workflow's template library already uses 364 of its 400 bytes \(36 free\)$/);
		await expect(full).rejects.toBeInstanceOf(LibraryFullError);
		// Replacing a template counts its new size instead of the old one.
		await small.save({ id: 'b', body: 'y'.repeat(100) });
		expect(() => new WorkflowLibrary(recordsOf(store), clock, { maxLibraryBytes: 0 })).toThrow('Expected `maxLibraryBytes`');
	});

	it('leaves out unreadable records and reports them; get throws for one', async () => {
		await library.save({ id: 'good', body: 'fine' });
		store.set('template:broken', { id: 'broken' } as JsonValue);
		store.set('template:other', { id: 'elsewhere', body: 'x' });
		store.set('settings', { unrelated: true });

		const load = await library.load();
		expect(load.documents.map((document) => document.id)).toEqual(['good']);
		expect(load.unreadable).toEqual([
			{ key: 'template:broken', reason: expect.stringMatching(/^Template record "template:broken" is unreadable: Expected `body`/) },
			{ key: 'template:other', reason: 'Template record "template:other" is unreadable: it holds template "elsewhere"' },
		]);
		await expect(library.get('broken')).rejects.toThrow(/Template record "template:broken" is unreadable/);
		expect(await library.delete('broken')).toBe(true);
	});
});
