import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its instance settings under the user folder when first loaded: keep tests out of $HOME.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'perf-optimizer-test-'));
// Otherwise every expected node error in a test is printed through n8n's logger.
process.env.N8N_LOG_LEVEL ??= 'silent';
