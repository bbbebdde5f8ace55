import { strict as assert } from 'node:assert';
import { querySuggestions } from '../../../src/core/notebook/completion';

const names = { cellIds: ['failures', 'victim-ips'], sources: ['auth'], lets: ['fails'] };

describe('query completion', () => {
  it('offers tables where a table goes, bracketing ids that are not identifiers', () => {
    const s = querySuggestions('', names);
    assert.deepEqual(s.map((x) => x.insert ?? x.label), ['failures', "['victim-ips']", 'auth', 'fails']);
    assert.deepEqual(querySuggestions('auth\n| join kind=inner (', names).map((x) => x.label), ['failures', 'victim-ips', 'auth', 'fails']);
  });
  it('offers operators after a pipe', () => {
    const s = querySuggestions('auth\n| ', names);
    assert.ok(s.some((x) => x.label === 'summarize' && x.kind === 'operator'));
    assert.ok(s.every((x) => x.kind === 'operator'));
  });
  it('offers functions and aggregates inside expressions', () => {
    const s = querySuggestions('auth\n| summarize n = ', names);
    assert.ok(s.some((x) => x.label === 'dcount' && x.kind === 'aggregate'));
    assert.ok(s.some((x) => x.label === 'tolower' && x.kind === 'function'));
  });
});
