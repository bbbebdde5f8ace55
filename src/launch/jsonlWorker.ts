/**
 * A reader thread's entry point (dist/jsonlWorker.js): runs the bundled thread (dist/jsonlReader.js,
 * built from src/core/sources/jsonlWorker.ts) from a code cache. Threads are stopped, not exited,
 * so the cache is written once the bundle has loaded.
 */
import { join } from 'node:path';
import { runWithCodeCache } from './codeCache';

runWithCodeCache(join(__dirname, 'jsonlReader.js'), 'loaded');
