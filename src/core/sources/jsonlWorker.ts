/**
 * Reader thread entry: answers the merging thread's messages (see readerTasks.ts) one after the
 * other, in the order they came (it is sent its next task while it reads one). The merging thread
 * cancels by ending the thread, so its own reads are never aborted.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerMessage } from './jsonlParallel';
import { readerMessageHandler } from './readerTasks';

const port = parentPort;
if (port) {
  const handle = readerMessageHandler((message, transfer) => port.postMessage(message, transfer), new AbortController().signal);
  // The handler answers every failure itself (an `error` reply), so its work never rejects.
  let work = Promise.resolve();
  port.on('message', (message: WorkerMessage) => {
    work = work.then(() => handle(message));
  });
}
