import { parseTemplateFile } from '../../../../lib/templates/library';

describe('parseTemplateFile', () => {
	it('takes defaults from the file name when there is no front matter', () => {
		expect(parseTemplateFile('invoice-reminder.md', 'Dear {{name}},\n')).toEqual({
			meta: { id: 'invoice-reminder', name: 'invoice-reminder', description: '', tags: [], required: [], format: 'markdown' },
			body: 'Dear {{name}},\n',
		});
	});

	it.each([
		['a.html', 'html'],
		['a.HTML', 'html'],
		['a.md', 'markdown'],
		['a.txt', 'text'],
		['a.hbs', 'text'],
	])('derives the format of %s from its extension', (fileName, format) => {
		expect(parseTemplateFile(fileName, 'x').meta.format).toBe(format);
	});

	it('reads every front matter key, lists as YAML lists or comma strings', () => {
		const file = parseTemplateFile(
			'reminder.hbs',
			[
				'---',
				'id: invoice.reminder',
				'name: Invoice reminder',
				'description: Sent when an invoice is overdue',
				'tags: [billing, email]',
				'required: customer, amount',
				'format: html',
				'---',
				'<p>Dear {{customer}}</p>',
			].join('\n'),
		);
		expect(file).toEqual({
			meta: {
				id: 'invoice.reminder',
				name: 'Invoice reminder',
				description: 'Sent when an invoice is overdue',
				tags: ['billing', 'email'],
				required: ['customer', 'amount'],
				format: 'html',
			},
			body: '<p>Dear {{customer}}</p>',
		});
	});

	it('handles CRLF line ends, a byte order mark, empty front matter and a name defaulting to the declared id', () => {
		expect(parseTemplateFile('a.txt', '\uFEFF---\r\nid: b\r\n---\r\nbody\r\n')).toEqual({
			meta: { id: 'b', name: 'b', description: '', tags: [], required: [], format: 'text' },
			body: 'body\r\n',
		});
		expect(parseTemplateFile('a.txt', '---\n---\nbody').body).toBe('body');
	});

	it('keeps later "---" lines in the body', () => {
		expect(parseTemplateFile('a.md', '---\nname: A\n---\nabove\n---\nbelow').body).toBe('above\n---\nbelow');
		expect(parseTemplateFile('a.md', 'text\n---\nmore').body).toBe('text\n---\nmore');
	});

	it('builds plain data only: custom YAML tags run nothing', () => {
		expect(parseTemplateFile('a.txt', '---\nname: !!js/function "function () { return 1 }"\n---\nx').meta.name).toBe(
			'function () { return 1 }',
		);
	});

	it.each([
		['a.txt', '---\nname: A\nbody', /Template file "a\.txt": front matter opens with "---" on line 1 but has no closing "---" line/],
		['a.txt', '---\n- one\n- two\n---\nx', /Template file "a\.txt": expected front matter to be a YAML mapping, got an array/],
		['a.txt', '---\njust text\n---\nx', /expected front matter to be a YAML mapping, got "just text"/],
		['a.txt', '---\nname: A\nname: B\n---\nx', /Template file "a\.txt": front matter is not valid YAML at line 3: Map keys must be unique$/],
		['a.txt', '---\nname: *nowhere\n---\nx', /Template file "a\.txt": front matter is not valid YAML/],
		['a.txt', '---\nauthor: me\n---\nx', /Template file "a\.txt": unknown front matter key "author"; expected one of id, name/],
		['a.txt', '---\ntags: 3\n---\nx', /Template file "a\.txt": Expected `tags` to be a list/],
		['a.txt', '---\nid: 2024\n---\nx', /Template file "a\.txt": Expected `id` to be a non-empty string, got number 2024/],
		['a.txt', '---\nname: A\n---\n', /Template file "a\.txt": Expected `body` to be a non-empty string/],
		['my template.txt', 'x', /Template file "my template\.txt": Expected `id` to use only letters.*\(rename the file or set `id` in front matter\)/],
		['a.pdf', 'x', /Template file "a\.pdf": expected one of the extensions \.hbs, \.txt, \.md, \.html/],
	])('names the file in errors: %s %j', (fileName, text, message) => {
		expect(() => parseTemplateFile(fileName, text)).toThrow(message);
	});
});
