/**
 * A query cell asks its sources for what it needs (fields, member paths, literals every usable
 * line contains): the session must hand that request to the source provider, which loads only that.
 */
import { strict as assert } from 'node:assert';
import { cellHandlers } from '../../../src/core/notebook/handlers';
import { NotebookSession, type SourceLoad, type SourceProvider } from '../../../src/core/notebook/session';
import type { SourceRequest } from '../../../src/core/query/sourceRequest';
import { Table } from '../../../src/core/query/table';

/** A provider of one table, `logs`, that records the request of each load. */
function recordingProvider(requests: (SourceRequest | undefined)[]): SourceProvider {
  const logs = Table.fromRows(
    [
      { name: 'user', type: 'string' },
      { name: 'room', type: 'dynamic' },
      { name: 'bytes', type: 'long' },
    ],
    [
      { user: 'alice', room: { id: 'r1', visibility: 'public' }, bytes: 10n },
      { user: 'bob', room: { id: 'r2', visibility: 'private' }, bytes: 20n },
    ],
  );
  return {
    names: () => ['logs'],
    async load(name: string, how: SourceLoad) {
      requests.push(how.request);
      return name === 'logs' ? logs : undefined;
    },
    provenance: async () => [],
  };
}

describe('notebook session: what a query asks of its sources', () => {
  it('passes the query\'s request to the provider, and a whole-table request for a query that may see every column', async () => {
    const requests: (SourceRequest | undefined)[] = [];
    const session = new NotebookSession({ baseDir: '.' }, recordingProvider(requests), cellHandlers);
    session.setCells([
      { key: 'a', kind: 'kql', source: 'logs | where user == "alice" | project user, room = tostring(room.id)', records: [] },
      { key: 'b', kind: 'kql', source: 'logs | take 1', records: [] },
    ]);
    const a = await session.runCell('a', new AbortController().signal);
    assert.ok(a.ok, a.error?.message);
    assert.equal(requests.length, 1);
    const [request] = requests;
    assert.deepEqual([...(request?.fields ?? [])].sort(), ['room', 'user']);
    assert.deepEqual({ ...request?.paths }, { room: [['id']] });
    assert.deepEqual(request?.mustContain, ['alice']);
    const b = await session.runCell('b', new AbortController().signal);
    assert.ok(b.ok, b.error?.message);
    assert.equal(requests.length, 2);
    // Nothing asked of the source: an open pipeline may see every column.
    assert.deepEqual(requests[1], {});
  });
});
