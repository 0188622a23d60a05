import { Settings } from 'luxon';
import { thrownError } from '../../../helpers/thrownError';
import { TransformError } from '../../../../lib/templates/mapping/transformError';
import { applyTransform, checkTransformFormat, isTransform, TRANSFORMS } from '../../../../lib/templates/mapping/transforms';

function transformError(run: () => unknown): TransformError {
	return thrownError(TransformError, run);
}

describe('applyTransform', () => {
	it('passes null and undefined through every transform', () => {
		for (const transform of TRANSFORMS) {
			expect(applyTransform(null, transform)).toBeNull();
			expect(applyTransform(undefined, transform)).toBeUndefined();
		}
	});

	it('leaves values alone with none', () => {
		const value = { a: 1 };
		expect(applyTransform(value, 'none')).toBe(value);
	});

	describe('text transforms', () => {
		it('trims, upper-cases and lower-cases text', () => {
			expect(applyTransform('  Ada Lovelace \n', 'trim')).toBe('Ada Lovelace');
			expect(applyTransform('straße', 'upper')).toBe('STRASSE');
			expect(applyTransform('ÄRGER', 'lower')).toBe('ärger');
		});

		it('title-cases words, after spaces and hyphens', () => {
			expect(applyTransform('ada lovelace', 'titleCase')).toBe('Ada Lovelace');
			expect(applyTransform("JOHN o'neil-SMITH", 'titleCase')).toBe("John O'neil-Smith");
			expect(applyTransform('élodie  über\tallen', 'titleCase')).toBe('Élodie  Über\tAllen');
			expect(applyTransform('42 main street', 'titleCase')).toBe('42 Main Street');
		});

		it('converts other values with String() first', () => {
			expect(applyTransform(42, 'upper')).toBe('42');
			expect(applyTransform(true, 'upper')).toBe('TRUE');
			expect(applyTransform(['a', 'b'], 'upper')).toBe('A,B');
			expect(applyTransform({ a: 1 }, 'lower')).toBe('[object object]');
		});

		it('refuses a value String() cannot convert', () => {
			const error = transformError(() => applyTransform(Object.create(null), 'trim'));
			expect(error.message).toContain('"trim"');
		});
	});

	describe('number', () => {
		it('formats in en-US with Intl defaults when no format is given', () => {
			expect(applyTransform(1234.5, 'number')).toBe('1,234.5');
			expect(applyTransform(1.23456, 'number')).toBe('1.235');
			expect(applyTransform(-3, 'number', '')).toBe('-3');
		});

		it('fixes decimals, pads and rounds', () => {
			expect(applyTransform(1.5, 'number', '2')).toBe('1.50');
			expect(applyTransform(1234.567, 'number', '0')).toBe('1,235');
		});

		it('uses a locale, with or without decimals', () => {
			expect(applyTransform(1234.5, 'number', 'de-DE:2')).toBe('1.234,50');
			expect(applyTransform(1234.5, 'number', 'de-DE')).toBe('1.234,5');
			expect(applyTransform(1234567.891, 'number', 'en-IN:1')).toBe('12,34,567.9');
		});

		it('takes numeric text in plain decimal notation', () => {
			expect(applyTransform(' 1234.5 ', 'number', '2')).toBe('1,234.50');
			expect(applyTransform('-.5', 'number', '1')).toBe('-0.5');
			expect(applyTransform('1e3', 'number')).toBe('1,000');
		});

		it.each([['abc'], ['1,234'], ['0x10'], [''], ['Infinity'], [true], [Number.NaN], [Number.POSITIVE_INFINITY], [{ n: 1 }]])(
			'refuses %p, naming it',
			(value) => {
				const error = transformError(() => applyTransform(value, 'number'));
				expect(error.message).toContain('"number"');
				if (typeof value === 'string') expect(error.message).toContain(JSON.stringify(value));
			},
		);

		it.each(['x:2', 'de-DE:', ':2', '2.5', '21', 'de_DE', 'de-DE:two'])('refuses the format %j', (format) => {
			expect(() => applyTransform(1, 'number', format)).toThrow(/Expected a number format/);
			expect(() => checkTransformFormat('number', format)).toThrow(TransformError);
		});
	});

	describe('date', () => {
		it('formats ISO strings as yyyy-MM-dd by default, without shifting date-only strings', () => {
			expect(applyTransform('2024-03-01', 'date')).toBe('2024-03-01');
			expect(applyTransform('2024-03-01T23:30:00-05:00', 'date', 'yyyy-MM-dd HH:mm')).toBe('2024-03-01 23:30');
			expect(applyTransform(' 2024-03-01T10:00:00Z ', 'date', 'dd.MM.yyyy HH:mm')).toBe('01.03.2024 10:00');
		});

		it('reads SQL-style text as databases hand it out, like the render helper', () => {
			expect(applyTransform('2024-03-05 10:15:00', 'date', 'dd.MM.yyyy HH:mm')).toBe('05.03.2024 10:15');
			expect(applyTransform('2024-03-05 10:15:00', 'date', 'HH:mm ZZ|Europe/Berlin')).toBe('10:15 +01:00');
		});

		it('formats epoch milliseconds and Dates in UTC by default', () => {
			const instant = Date.UTC(2024, 2, 1, 23, 30);
			expect(applyTransform(instant, 'date', 'yyyy-MM-dd HH:mm')).toBe('2024-03-01 23:30');
			expect(applyTransform(new Date(instant), 'date', 'yyyy-MM-dd HH:mm')).toBe('2024-03-01 23:30');
		});

		it('shows instants in a zone, and reads offset-less strings as wall time there', () => {
			const instant = Date.UTC(2024, 2, 1, 23, 30);
			expect(applyTransform(instant, 'date', 'dd.MM.yyyy HH:mm|Europe/Berlin')).toBe('02.03.2024 00:30');
			expect(applyTransform('2024-03-01T23:30:00Z', 'date', 'dd.MM.yyyy HH:mm|Europe/Berlin')).toBe('02.03.2024 00:30');
			expect(applyTransform('2024-07-01T12:00:00Z', 'date', 'HH:mm ZZ|America/New_York')).toBe('08:00 -04:00');
			expect(applyTransform('2024-03-01', 'date', 'dd.MM.yyyy HH:mm|Europe/Berlin')).toBe('01.03.2024 00:00');
			expect(applyTransform(instant, 'date', 'HH:mm|UTC+2')).toBe('01:30');
		});

		it('names months in the given locale, en-US otherwise', () => {
			expect(applyTransform('2024-03-01T23:30:00Z', 'date', "d. MMMM yyyy 'um' HH:mm|Europe/Berlin|de-DE")).toBe('2. März 2024 um 00:30');
			expect(applyTransform('2024-03-01', 'date', 'MMMM d||fr')).toBe('mars 1');
			expect(applyTransform('2024-03-01', 'date', 'EEEE, MMMM d')).toBe('Friday, March 1');
			expect(applyTransform('2024-03-01', 'date', '|Europe/Berlin')).toBe('2024-03-01');
		});

		it('gives the same text for repeated values, and stays right past its result cache bound', () => {
			const format = 'dd.MM.yyyy HH:mm|Europe/Berlin';
			const first = applyTransform('2024-03-01T23:30:00Z', 'date', format);
			expect(applyTransform('2024-03-01T23:30:00Z', 'date', format)).toBe(first);
			const start = Date.UTC(2024, 0, 1);
			for (let day = 0; day < 1500; day++) applyTransform(start + day * 86_400_000, 'date', format);
			expect(applyTransform(start + 1499 * 86_400_000, 'date', format)).toBe('08.02.2028 01:00');
			expect(applyTransform(new Date(start + 1499 * 86_400_000), 'date', format)).toBe('08.02.2028 01:00');
			expect(applyTransform('2024-03-01T23:30:00Z', 'date', format)).toBe(first);
		});

		it.each([['not a date'], ['1709251200000'], ['2024-13-01'], [true], [{}], [new Date(Number.NaN)], [Number.NaN]])(
			'refuses %p, naming it',
			(value) => {
				const error = transformError(() => applyTransform(value, 'date'));
				expect(error.message).toContain('"date"');
				if (typeof value === 'string') expect(error.message).toContain(JSON.stringify(value));
			},
		);

		it('says why text that looks like a date is not one', () => {
			expect(transformError(() => applyTransform('2024-13-01', 'date')).message).toContain('as a month');
		});

		it('refuses invalid values also when luxon is set to throw', () => {
			const before = Settings.throwOnInvalid;
			Settings.throwOnInvalid = true;
			try {
				transformError(() => applyTransform('nope', 'date'));
			} finally {
				Settings.throwOnInvalid = before;
			}
		});

		it('refuses unknown zones and locales and too many parts', () => {
			expect(() => applyTransform('2024-03-01', 'date', 'yyyy|Mars/Olympus')).toThrow('"Mars/Olympus"');
			expect(() => applyTransform('2024-03-01', 'date', 'yyyy||de_DE')).toThrow('"de_DE"');
			expect(() => checkTransformFormat('date', 'a|b|c|d')).toThrow('at most three parts');
		});
	});

	describe('json', () => {
		it('stringifies, with an optional indent', () => {
			expect(applyTransform({ a: [1, 'x'] }, 'json')).toBe('{"a":[1,"x"]}');
			expect(applyTransform('text', 'json')).toBe('"text"');
			expect(applyTransform(0, 'json')).toBe('0');
			expect(applyTransform({ a: 1 }, 'json', '2')).toBe('{\n  "a": 1\n}');
		});

		it('refuses what JSON cannot represent and bad indents', () => {
			const circular: Record<string, unknown> = {};
			circular.self = circular;
			expect(transformError(() => applyTransform(circular, 'json')).message).toContain('"json"');
			transformError(() => applyTransform(BigInt(1), 'json'));
			transformError(() => applyTransform(() => 1, 'json'));
			expect(() => checkTransformFormat('json', '11')).toThrow('indent');
			expect(() => checkTransformFormat('json', 'tab')).toThrow('indent');
		});
	});
});

describe('checkTransformFormat', () => {
	it('accepts no format for every transform, and good formats', () => {
		for (const transform of TRANSFORMS) {
			expect(() => checkTransformFormat(transform, undefined)).not.toThrow();
			expect(() => checkTransformFormat(transform, '')).not.toThrow();
		}
		expect(() => checkTransformFormat('number', 'de-DE:2')).not.toThrow();
		expect(() => checkTransformFormat('date', 'dd.MM.yyyy|Europe/Berlin|de')).not.toThrow();
		expect(() => checkTransformFormat('json', '2')).not.toThrow();
	});

	it('refuses a format for transforms that take none', () => {
		for (const transform of ['none', 'trim', 'upper', 'lower', 'titleCase'] as const) {
			expect(() => checkTransformFormat(transform, '2')).toThrow(`Expected no format for transform "${transform}"`);
		}
	});
});

describe('isTransform', () => {
	it('knows the transforms and nothing else', () => {
		expect(TRANSFORMS.every(isTransform)).toBe(true);
		expect(isTransform('titlecase')).toBe(false);
		expect(isTransform(undefined)).toBe(false);
	});

	it('refuses an unknown transform when applied', () => {
		expect(() => applyTransform('x', 'shout' as never)).toThrow('Expected a transform out of');
	});
});
