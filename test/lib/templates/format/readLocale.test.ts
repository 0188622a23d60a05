import { DEFAULT_LOCALE, FormatError, readLocale } from '../../../../lib/templates/format';
import { thrownError } from '../../../helpers/thrownError';

describe('readLocale', () => {
	it('takes well-formed BCP 47 tags as given', () => {
		expect(readLocale('de-DE')).toBe('de-DE');
		expect(readLocale('fr')).toBe('fr');
		expect(DEFAULT_LOCALE).toBe('en-US');
	});

	it.each([['de_DE'], [''], ['not a locale!'], [5], [null]])('refuses %p with a FormatError naming it', (value) => {
		const error = thrownError(FormatError, () => readLocale(value));
		expect(error.expected).toBe('a locale such as "en-US" or "de-DE"');
		if (typeof value === 'string') expect(error.actual).toBe(JSON.stringify(value));
	});
});
