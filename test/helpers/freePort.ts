import { createServer } from 'node:net';

/** A loopback port nothing listens on: `preferred` when it is free, else one the system picks. */
export async function freePort(preferred = 0): Promise<number> {
	const tryListen = (port: number) =>
		new Promise<number | undefined>((resolve) => {
			const server = createServer();
			server.once('error', () => resolve(undefined));
			server.listen(port, '127.0.0.1', () => {
				const address = server.address();
				server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : undefined));
			});
		});
	const port = (preferred > 0 ? await tryListen(preferred) : undefined) ?? (await tryListen(0));
	if (port === undefined) throw new Error('No free loopback port');
	return port;
}
