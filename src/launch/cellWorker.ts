/**
 * The entry point of a notebook's cell worker (dist/cellWorker.js): runs the worker's bundle
 * (dist/worker.js, built from src/worker/main.ts) from a code cache, so the first run of a cell
 * after opening a notebook, or after a cancel restarted the worker, does not wait for its code to
 * compile. Workers are terminated, not exited, so the cache is written once the bundle has loaded.
 */
import { join } from 'node:path';
import { runWithCodeCache } from './codeCache';

runWithCodeCache(join(__dirname, 'worker.js'), 'loaded');
