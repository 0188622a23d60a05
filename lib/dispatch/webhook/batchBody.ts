import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

// The thread-pool variant: a 16 MiB body would block the event loop for a noticeable time with gzipSync.
const gzipAsync = promisify(gzip);

/** A batch body ready to send, encoded once and reused by every attempt. */
export interface EncodedBatchBody {
	/** The bytes on the wire: JSON, gzip-compressed when `gzip` is true. */
	readonly bytes: Buffer;
	readonly gzip: boolean;
	/** UTF-8 bytes of the JSON before compression. */
	readonly bytesRaw: number;
	/** Bytes actually sent (`bytes.length`). */
	readonly bytesSent: number;
}

export interface BatchBodyOptions {
	/** JSON above this many bytes is gzip-compressed; smaller bodies cost more to compress than they save. */
	gzipThresholdBytes: number;
	/** The largest JSON body the receiver accepts, measured before compression. */
	maxBodyBytes: number;
}

/**
 * Serialises a batch body and compresses it when it is larger than the threshold. Compression is kept only when
 * it makes the body smaller, so an incompressible body is not also made slower to read. The size limit is
 * checked on the JSON before compression because n8n enforces its payload limit on the decompressed body.
 */
export async function encodeBatchBody(body: object, options: BatchBodyOptions): Promise<EncodedBatchBody> {
	if (typeof body !== 'object' || body === null) {
		throw new TypeError(`Expected the batch body to be an object or array, got ${body === null ? 'null' : typeof body}`);
	}
	let json: string;
	try {
		json = JSON.stringify(body);
	} catch (error) {
		throw new TypeError(`Expected the batch body to be serialisable as JSON: ${(error as Error)?.message ?? error}`);
	}
	const raw = Buffer.from(json, 'utf8');
	if (raw.length > options.maxBodyBytes) {
		throw new RangeError(
			`Expected the batch body to be at most ${options.maxBodyBytes} bytes of JSON (the receiver's payload limit), got ${raw.length}: send smaller batches`,
		);
	}
	if (raw.length > options.gzipThresholdBytes) {
		const compressed = await gzipAsync(raw);
		if (compressed.length < raw.length) {
			return { bytes: compressed, gzip: true, bytesRaw: raw.length, bytesSent: compressed.length };
		}
	}
	return { bytes: raw, gzip: false, bytesRaw: raw.length, bytesSent: raw.length };
}
