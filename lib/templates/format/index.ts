export { rememberBounded } from './boundedMemo';
export { describeValue } from './describeValue';
export { dateFormatter, type DateFormatter, DEFAULT_DATE_PATTERN, formatDate, type DateStyle } from './formatDate';
export { FormatError } from './formatError';
export {
	formatNumber,
	MAX_DECIMALS,
	numberFormatter,
	parseNumberValue,
	readDecimals,
	type NumberStyle,
} from './formatNumber';
export { EXPECTED_DATE, parseDateValue, readZone, type DateReading } from './parseDateValue';
export { DEFAULT_LOCALE, readLocale } from './readLocale';
