/**
 * Sums the self time of a V8 CPU profile (`node --cpu-prof`) by package, to see how much of n8n's time is n8n's
 * own (n8n, n8n-core, n8n-workflow, @n8n/*, typeorm, sqlite3), this package's, or Node's:
 *   npx ts-node bench/cpuProfileByPackage.ts [--last-seconds S] CPU.xxx.cpuprofile [more.cpuprofile ...]
 * `--last-seconds` keeps only the profile's last S seconds (the measured runs, without n8n's start-up).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { url: string; functionName: string };
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export function packageOf(url: string, functionName: string): string {
	if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
	const inModules = url.lastIndexOf('/node_modules/');
	if (inModules >= 0) {
		const rest = url.slice(inModules + '/node_modules/'.length).split('/');
		return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
	}
	if (url.startsWith('node:')) return 'node (core)';
	return url;
}

export function selfTimeByPackage(profile: Profile, lastMs = Infinity): Map<string, number> {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const totals = new Map<string, number>();
	const endUs = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
	let atUs = 0;
	profile.samples.forEach((id, index) => {
		atUs += profile.timeDeltas[index] ?? 0;
		const node = byId.get(id);
		if (!node || endUs - atUs > lastMs * 1000) return;
		const name = packageOf(node.callFrame.url, node.callFrame.functionName);
		totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
	});
	return totals;
}

if (require.main === module) {
	const argv = process.argv.slice(2);
	const windowAt = argv.indexOf('--last-seconds');
	const lastMs = windowAt >= 0 ? Number(argv.splice(windowAt, 2)[1]) * 1000 : Infinity;
	for (const file of argv) {
		const totals = [...selfTimeByPackage(JSON.parse(readFileSync(file, 'utf8')) as Profile, lastMs)].sort((a, b) => b[1] - a[1]);
		const all = totals.reduce((sum, [, ms]) => sum + ms, 0);
		const busy = totals.filter(([name]) => name !== '(idle)').reduce((sum, [, ms]) => sum + ms, 0);
		process.stdout.write(`\n${file}: ${Math.round(all)} ms sampled, ${Math.round(busy)} ms not idle\n`);
		for (const [name, ms] of totals.filter(([name]) => name !== '(idle)').slice(0, 25)) process.stdout.write(`${(ms / busy * 100).toFixed(1).padStart(6)}%  ${Math.round(ms).toString().padStart(7)} ms  ${name}\n`);
	}
}
