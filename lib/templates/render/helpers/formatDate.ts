import { describeValue, formatDate as formatDateValue, readZone } from '../../format';
import { isMissing } from './isMissing';

/**
 * `{{formatDate value format? zone?}}`: formats ISO 8601 text, SQL-style text (`2024-03-05 10:00:00`), epoch
 * milliseconds or a Date with a Luxon format (default `yyyy-MM-dd`), month names in en-US. With a zone, the date
 * is shown in that zone and text without an offset is read in it; without one, text keeps its own offset and
 * everything else is UTC, so output never depends on the server's time zone. A missing value renders as empty
 * text. The shared format module's errors pass through: the helper wrapper turns them into TemplateRenderErrors
 * naming the helper and position.
 */
export function formatDate([value, format, zone]: unknown[]): string {
	if (isMissing(value)) return '';
	if (!isMissing(format) && typeof format !== 'string') {
		throw new TypeError(`Expected the format to be text such as "yyyy-MM-dd", got ${describeValue(format)}`);
	}
	return formatDateValue(value, {
		pattern: isMissing(format) ? undefined : format,
		zone: isMissing(zone) ? undefined : readZone(zone),
	});
}
