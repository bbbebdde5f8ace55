/**
 * Reader thread entry: answers the merging thread's messages (see readerTasks.ts). The merging
 * thread cancels by ending the thread, so its own reads are never aborted.
 */
import { parentPort } from 'node:worker_threads';
import { readerMessageHandler } from './readerTasks';

const port = parentPort;
if (port) port.on('message', readerMessageHandler((message, transfer) => port.postMessage(message, transfer), new AbortController().signal));
