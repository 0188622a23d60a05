import { templateVersion, validateTemplateId, validateTemplateInput } from '../../../../lib/templates/library';

describe('validateTemplateInput', () => {
	it('fills defaults: name = id, empty description, no tags, no required variables', () => {
		expect(validateTemplateInput({ id: 'welcome', body: 'Hi {{name}}' }, 1000)).toEqual({
			id: 'welcome',
			name: 'welcome',
			description: '',
			tags: [],
			required: [],
			body: 'Hi {{name}}',
		});
	});

	it('accepts lists as arrays or comma-separated strings, trimmed, without blanks or repeats', () => {
		const template = validateTemplateInput(
			{ id: 'a', name: ' Invoice reminder ', tags: 'billing, email,,billing ', required: [' customer ', 'amount'], format: 'html', body: 'x' },
			1000,
		);
		expect(template).toMatchObject({ name: 'Invoice reminder', tags: ['billing', 'email'], required: ['customer', 'amount'], format: 'html' });
	});

	it.each([
		[{ body: 'x' }, /Expected `id` to be a non-empty string, got undefined/],
		[{ id: 'has space', body: 'x' }, /`id` to use only letters, digits/],
		[{ id: 'x'.repeat(101), body: 'x' }, /`id` to have at most 100 characters, got 101/],
		[{ id: 'a', name: 42, body: 'x' }, /`name` to be a string, got number 42/],
		[{ id: 'a', tags: [1], body: 'x' }, /`tags\[0\]` to be a string, got number 1/],
		[{ id: 'a', required: { a: 1 }, body: 'x' }, /`required` to be a list of strings/],
		[{ id: 'a', format: 'pdf', body: 'x' }, /`format` to be one of text, html, markdown, got "pdf"/],
		[{ id: 'a' }, /`body` to be a non-empty string, got undefined/],
		[{ id: 'a', body: '' }, /`body` to be a non-empty string, got an empty string/],
		[{ id: 'a', body: 'x', tag: 'oops' }, /Unknown template field "tag"/],
		['text', /Expected a template object, got "text"/],
	])('refuses %j naming the field', (input, message) => {
		expect(() => validateTemplateInput(input, 1000)).toThrow(message);
	});

	it('limits the body in UTF-8 bytes', () => {
		expect(() => validateTemplateInput({ id: 'a', body: 'é'.repeat(6) }, 11)).toThrow('Expected `body` to take at most 11 bytes, got 12');
		expect(validateTemplateInput({ id: 'a', body: 'é'.repeat(5) }, 11).body).toHaveLength(5);
	});
});

describe('validateTemplateId', () => {
	it('accepts letters, digits, dot, underscore and dash', () => {
		expect(validateTemplateId('Invoice_reminder-v2.de')).toBe('Invoice_reminder-v2.de');
		expect(() => validateTemplateId('../etc')).toThrow(/only letters/);
	});
});

describe('templateVersion', () => {
	const template = validateTemplateInput({ id: 'a', tags: ['x'], body: 'Hello' }, 1000);

	it('is 12 hex digits, equal for equal templates', () => {
		expect(templateVersion(template)).toMatch(/^[0-9a-f]{12}$/);
		expect(templateVersion({ ...template, tags: ['x'] })).toBe(templateVersion(template));
	});

	it('changes with the body or any metadata', () => {
		const version = templateVersion(template);
		expect(templateVersion({ ...template, body: 'Hello!' })).not.toBe(version);
		expect(templateVersion({ ...template, tags: ['y'] })).not.toBe(version);
		expect(templateVersion({ ...template, format: 'html' })).not.toBe(version);
	});
});
