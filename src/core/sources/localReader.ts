/**
 * A reader on the thread that merges: it answers the same messages as a reader thread, with the
 * same code (readerTasks.ts), and replies as one does, on a later turn of the event loop. A
 * parallel read makes one of its readers this one: it starts reading at once, while threads take
 * about a tenth of a second to start, saves a thread's start-up, and its table (strings included)
 * needs no copying to the merging thread. Its reads yield to the event loop between chunks, so the
 * threads' messages are still answered while it reads.
 */
import { EventEmitter } from 'node:events';
import type { WorkerMessage, WorkerReply } from './jsonlParallel';
import { readerMessageHandler } from './readerTasks';

export class LocalReader extends EventEmitter {
  private readonly stop = new AbortController();
  private readonly handle = readerMessageHandler((reply) => setImmediate(() => this.deliver(reply)), this.stop.signal);
  /** The work of the messages handled so far, settled when all of it is. */
  private work: Promise<void> = Promise.resolve();

  postMessage(message: WorkerMessage): void {
    // One message after the other, as a reader thread handles them (a read must not start while
    // the one before it still adds to the running table). The handler answers every failure
    // itself (an `error` reply), so its work never rejects.
    this.work = this.work.then(() => new Promise<void>((resolve) => setImmediate(() => (this.stop.signal.aborted ? resolve() : void this.handle(message).then(resolve)))));
  }

  /**
   * Stops its reads and aggregations, and resolves once they have stopped (a read stops at its
   * next chunk, and closes its file); replies still on their way are dropped.
   */
  async terminate(): Promise<number> {
    this.stop.abort();
    await this.work;
    return 0;
  }

  private deliver(reply: WorkerReply): void {
    if (!this.stop.signal.aborted) this.emit('message', reply);
  }
}
