import { resetSharedProcessState, sharedProcessState, StaticDataStateStore } from '../../../lib/state';
import type { EngineLogger } from '../../../lib/shared/logger';
import { silentLogger } from '../../../lib/shared/logger';
import { DEFAULT_SETTINGS, readSettings, SETTINGS_RECORD } from '../../../nodes/PerfMonitor/actions/monitorSettings';
import { MONITOR_WORKFLOW_ID, monitorHarness, monitorWorkflow } from './monitorWorkflow';

type Json = Record<string, any>;

function recordingLogger(): EngineLogger & { warnings: string[] } {
	const warnings: string[] = [];
	return { warnings, warn: (message) => warnings.push(message), debug: () => undefined };
}

/** Writes settings as an older version or a hand edit might have left them, bypassing Configure's checks. */
async function storeRawSettings(value: Json): Promise<Json> {
	const staticData: Json = {};
	const store = new StaticDataStateStore({ process: sharedProcessState({ instanceId: 'test-instance' }), workflowId: MONITOR_WORKFLOW_ID, staticData, logger: silentLogger });
	await store.records.set(SETTINGS_RECORD, value);
	await store.commit();
	return JSON.parse(JSON.stringify(staticData)) as Json;
}

describe('Perf Monitor settings', () => {
	beforeEach(() => resetSharedProcessState());

	it.each([
		['latencySloMs', 'Infinity', /^'Latency SLO \(Ms\)' must be a finite number above 0 to 86400000, got "Infinity"/],
		['latencySloMs', '1e400', /^'Latency SLO \(Ms\)' must be a finite number above 0/],
		['latencySloMs', '-5', /^'Latency SLO \(Ms\)' must be a finite number above 0/],
		['latencySloMs', '1e12', /^'Latency SLO \(Ms\)' must be a finite number above 0 to 86400000/],
		['latencySloMs', 'abc', /^'Latency SLO \(Ms\)' must be a finite number/],
		['alertCooldownMinutes', 'Infinity', /^'Alert Cooldown \(Minutes\)' must be a finite number from 0 to 43200, got "Infinity"/],
		['alertCooldownMinutes', '-1', /^'Alert Cooldown \(Minutes\)' must be a finite number from 0/],
	])('Configure refuses %s = %s with the field label, and stores nothing', async (field, value, message) => {
		const harness = monitorHarness();
		const workflow = monitorWorkflow({ operation: 'configure', [field]: `={{ ${JSON.stringify(value)} }}` });
		harness.database.add(workflow);
		const result = await harness.run(workflow);
		expect(result.status).toBe('error');
		expect(result.nodeError('Monitor')).toMatch(message);
		const health = await harness.run(monitorWorkflow({ operation: 'getHealthScore' }));
		expect(health.status).toBe('success');
		expect(health.json('Monitor')[0].latencySloMs).toBe(DEFAULT_SETTINGS.latencySloMs);
	});

	it('Configure refuses an object by its type', async () => {
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'configure', latencySloMs: '={{ { "a": 1 } }}' }));
		expect(result.nodeError('Monitor')).toMatch(/^'Latency SLO \(Ms\)' must be a number above 0 to 86400000, got an object/);
	});

	it('Configure accepts numbers given as text and stores them as numbers', async () => {
		const harness = monitorHarness();
		const workflow = monitorWorkflow({ operation: 'configure', latencySloMs: '={{ "750" }}', alertCooldownMinutes: '={{ "0" }}' });
		harness.database.add(workflow);
		const saved = await harness.run(workflow);
		expect(saved.json('Monitor')[0]).toMatchObject({ saved: true, settings: { latencySloMs: 750, alertCooldownMinutes: 0 } });
	});

	it('with continue-on-fail, a refused setting is an error item with its class, paired with each input item', async () => {
		const result = await monitorHarness().run(monitorWorkflow({ operation: 'configure', latencySloMs: '={{ "Infinity" }}' }, { continueOnFail: true }), {
			input: [{ a: 1 }, { a: 2 }],
		});
		expect(result.status).toBe('success');
		const items = result.items('Monitor');
		expect(items).toHaveLength(2);
		items.forEach((item, index) => {
			expect(item.json).toEqual({ error: expect.stringMatching(/^'Latency SLO \(Ms\)' must be a finite number/), errorClass: 'validation' });
			expect(item.pairedItem).toEqual({ item: index });
		});
	});

	it('a stored setting that no longer validates falls back to the default instead of breaking every health score', async () => {
		const harness = monitorHarness();
		const workflow = monitorWorkflow({ operation: 'getHealthScore' });
		harness.database.add(workflow);
		// Infinity stays Infinity in this process's state; static data (JSON) would hold null.
		harness.database.writeStaticData(workflow.id, await storeRawSettings({ latencySloMs: Infinity, alertCooldownMinutes: -3 }));
		const health = await harness.run(workflow);
		expect(health.status).toBe('success');
		expect(health.json('Monitor')[0].latencySloMs).toBe(DEFAULT_SETTINGS.latencySloMs);
		const alerts = await harness.run(monitorWorkflow({ operation: 'checkAlerts' }));
		expect(alerts.status).toBe('success');
	});

	it('reads each invalid stored part as its default, with one warning per process and value', async () => {
		const logger = recordingLogger();
		const store = new StaticDataStateStore({ process: sharedProcessState({ instanceId: 'test-instance' }), workflowId: 'wf1', staticData: {}, logger: silentLogger });
		// `null` is what JSON makes of an `Infinity`.
		await store.records.set(SETTINGS_RECORD, { latencySloMs: null, alertCooldownMinutes: 'soon', alertRules: [{ metric: 'nope' }], burnRateRules: 7 });
		for (let read = 0; read < 3; read++) expect(await readSettings(store, logger)).toEqual(DEFAULT_SETTINGS);
		expect(logger.warnings).toHaveLength(4);
		expect(logger.warnings[0]).toMatch(/^Perf Monitor: the stored setting 'Latency SLO \(Ms\)' must be a number above 0 to 86400000, got null; using the default/);
		expect(logger.warnings.join('\n')).toMatch(/'Alert Cooldown \(Minutes\)'[\s\S]*'Alert Rules \(JSON\)'[\s\S]*'Error Budget SLO'/);
	});

	it('keeps valid stored values as they are', async () => {
		const logger = recordingLogger();
		const store = new StaticDataStateStore({ process: sharedProcessState({ instanceId: 'test-instance' }), workflowId: 'wf1', staticData: {}, logger: silentLogger });
		await store.records.set(SETTINGS_RECORD, { latencySloMs: 350, alertCooldownMinutes: 0 });
		expect(await readSettings(store, logger)).toMatchObject({ latencySloMs: 350, alertCooldownMinutes: 0 });
		expect(logger.warnings).toEqual([]);
	});
});
