import { formatNumber as formatNumberValue, readDecimals, readLocale } from '../../format';
import { isMissing } from './isMissing';

/**
 * `{{formatNumber value decimals? locale?}}`: a number or numeric text in decimal notation, grouped for the locale
 * (default `en-US`); with `decimals`, exactly that many fraction digits. A missing value renders as empty text.
 * The shared format module's errors pass through: the helper wrapper turns them into TemplateRenderErrors.
 */
export function formatNumber([value, decimals, locale]: unknown[]): string {
	if (isMissing(value)) return '';
	return formatNumberValue(value, {
		decimals: isMissing(decimals) ? undefined : readDecimals(decimals),
		locale: isMissing(locale) ? undefined : readLocale(locale),
	});
}
