/**
 * Reader thread entry: answers the merging thread's messages (see readerTasks.ts). The merging
 * thread cancels by ending the thread, so its own reads are never aborted.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerMessage } from './jsonlParallel';
import { readerMessageHandler } from './readerTasks';

const port = parentPort;
if (port) {
  const handle = readerMessageHandler((message, transfer) => port.postMessage(message, transfer), new AbortController().signal);
  port.on('message', (message: WorkerMessage) => void handle(message));
}
