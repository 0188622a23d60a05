import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { validateAlertRules, validateBurnRateRules } from '../../../lib/monitor/analysis';
import { checkNumberSetting, NUMBER_SETTINGS, readSettings, writeSettings, type MonitorSettings } from './monitorSettings';
import { summaryItem, type OperationContext, type OperationResult } from './operationContext';

const showForConfigure = { show: { operation: ['configure'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Latency SLO (Ms)',
		name: 'latencySloMs',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: NUMBER_SETTINGS.latencySloMs.maximum },
		default: 2000,
		description: 'The p95 latency a healthy component stays under; used by the health score',
		displayOptions: showForConfigure,
	},
	{
		displayName: 'Alert Cooldown (Minutes)',
		name: 'alertCooldownMinutes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: NUMBER_SETTINGS.alertCooldownMinutes.maximum },
		default: 15,
		description: 'How long an alert that keeps firing stays quiet before it is sent again',
		displayOptions: showForConfigure,
	},
	{
		displayName: 'Alert Rules (JSON)',
		name: 'alertRules',
		type: 'json',
		default: '',
		placeholder: '[{"metric":"errorRate","comparator":">","value":0.05,"windowMinutes":5,"severity":"warning"}]',
		description:
			'Threshold rules: metric (errorRate, p95LatencyMs, p99LatencyMs, hitRate, throughputPerMin, costUsd, calls), comparator, value, windowMinutes, severity (info, warning, critical), and optionally nodeName and an ID to name the rule. Empty keeps the current rules.',
		displayOptions: showForConfigure,
	},
	{
		displayName: 'Error Budget SLO',
		name: 'sloTarget',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 0.99999, numberPrecision: 5 },
		default: 0,
		description:
			'Success ratio target (e.g. 0.99) for multi-window burn-rate alerts: critical at 14.4x over 1 h and 5 min, warning at 6x over 6 h and 30 min; 0 turns them off',
		displayOptions: showForConfigure,
	},
];

export async function execute({ context, store, items }: OperationContext): Promise<OperationResult> {
	const node = context.getNode();
	const fail = (field: string, problem: string) => new NodeOperationError(node, `'${field}' ${problem}`, { itemIndex: 0 });
	const current = await readSettings(store, context.logger);
	const number = (field: keyof typeof NUMBER_SETTINGS): number => {
		const checked = checkNumberSetting(context.getNodeParameter(field, 0, current[field]), NUMBER_SETTINGS[field]);
		if (typeof checked !== 'number') throw fail(NUMBER_SETTINGS[field].label, checked.problem);
		return checked;
	};
	const latencySloMs = number('latencySloMs');
	const alertCooldownMinutes = number('alertCooldownMinutes');
	let alertRules = current.alertRules;
	const rawRules = context.getNodeParameter('alertRules', 0, '') as unknown;
	if (rawRules !== '' && rawRules !== undefined && rawRules !== null) {
		let parsed: unknown = rawRules;
		if (typeof rawRules === 'string') {
			try {
				parsed = JSON.parse(rawRules);
			} catch (error) {
				throw fail('Alert Rules (JSON)', `is not valid JSON (${(error as Error).message})`);
			}
		}
		try {
			alertRules = validateAlertRules(parsed);
		} catch (error) {
			throw fail('Alert Rules (JSON)', (error as Error).message);
		}
	}
	const rawSloTarget = context.getNodeParameter('sloTarget', 0, 0) as unknown;
	const sloTarget = typeof rawSloTarget === 'number' || (typeof rawSloTarget === 'string' && rawSloTarget.trim() !== '') ? Number(rawSloTarget) : NaN;
	if (!(sloTarget >= 0 && sloTarget < 1)) throw fail('Error Budget SLO', 'must be 0 (off) or a ratio below 1, e.g. 0.99');
	const burnRateRules = sloTarget > 0 ? validateBurnRateRules([{ id: 'slo-burn-rate', slo: sloTarget }]) : [];
	const settings: MonitorSettings = { latencySloMs, alertCooldownMinutes, alertRules, burnRateRules };
	await writeSettings(store, settings);
	return [[summaryItem({ saved: true, settings: settings as unknown as IDataObject }, items)]];
}
