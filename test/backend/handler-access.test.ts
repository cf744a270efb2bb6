/**
 * Every handler declares in the contract whether it reads or writes (shared/contract), and
 * the backend routes by that declaration: no list is kept by hand. A name declared twice
 * fails when the tables are merged, at start-up, instead of silently replacing the other.
 */
import { describe, expect, it } from 'vitest';
import { HANDLER_NAMES, handlerAccess, handlerArgs } from '../../shared/contract';
import { mergeNamedGroups } from '../../shared/contract/merge';
import { handlers } from '../../electron/backend/handlers';
import { tempBackend } from './helpers';

describe('handler declarations', () => {
  it("every handler of the contract declares 'read' or 'write', and nothing else is declared", () => {
    expect(HANDLER_NAMES.length).toBeGreaterThan(90);
    const undeclared = HANDLER_NAMES.filter((name) => !['read', 'write'].includes(handlerAccess[name]));
    expect(undeclared).toEqual([]);
    expect(Object.keys(handlerAccess).sort()).toEqual([...HANDLER_NAMES].sort());
  });

  it('the backend implements exactly the handlers of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(handlerArgs).sort());
  });

  it('a name declared by two groups fails the merge, naming it', () => {
    expect(() => mergeNamedGroups('Handlers', { 'leads-query': 1, 'lead-get': 2 }, { 'lead-get': 3 })).toThrow(
      'Handlers: "lead-get" is declared twice.',
    );
    expect(mergeNamedGroups('Handlers', { a: 1 }, { b: 2 })).toEqual({ a: 1, b: 2 });
  });

  it("a 'write' runs through the write queue; a 'read' is answered while a write holds it", async () => {
    const b = tempBackend();
    const release = await b.context.writes.hold();
    const order: string[] = [];
    const wrote = b
      .invoke('owner-save', { name: 'Dana Rep', email: 'dana@example.com', role: 'rep' })
      .then(() => order.push('write'));
    await b.invoke('owners-list', {}).then(() => order.push('read'));
    order.push('queue released');
    release();
    await wrote;
    expect(order).toEqual(['read', 'queue released', 'write']);
  });
});
