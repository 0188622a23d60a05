import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its instance settings under the user folder when first loaded: keep tests out of $HOME.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'perf-optimizer-test-'));
// n8n lets nodes read files only below these folders; tests keep their template folders in the OS temp dir.
process.env.N8N_RESTRICT_FILE_ACCESS_TO ??= tmpdir();
// Otherwise every expected node error in a test is printed through n8n's logger.
process.env.N8N_LOG_LEVEL ??= 'silent';
