import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAction, parseActions } from '../core/scenario/actionText';
import { clientAction, nodeName, type ClientForm } from './clients';

const form = (p: Partial<ClientForm> = {}): ClientForm => ({ client: 2, servers: '1,3', path: '/a/b', data: 'v1', ephemeral: true, ...p });

describe('the Clients panel’s requests', () => {
  it('become the action-language steps a person could type', () => {
    const r = clientAction('create', form(), [1, 2, 3]);
    expect('action' in r && formatAction({ at: 0, action: r.action })).toBe('0 create 2 /a/b v1 ephemeral');
    const c = clientAction('connect', form(), [1, 2, 3]);
    expect('action' in c && formatAction({ at: 0, action: c.action })).toBe('0 client 2 connect 1,3');
  });

  it('are refused in words, not sent, when the action language would refuse them', () => {
    expect(clientAction('create', form({ path: '<b>x</b>' }), [1, 2, 3])).toEqual({ problem: 'clientBadPath' });
    expect(clientAction('setData', form({ data: 'a b' }), [1, 2, 3])).toEqual({ problem: 'clientBadData' });
    expect(clientAction('connect', form({ servers: '1,9' }), [1, 2, 3])).toEqual({ problem: 'clientBadServers' });
  });

  it('whatever is typed, what is sent parses back as the same action', () => {
    fc.assert(
      fc.property(fc.constantFrom('connect', 'create', 'setData', 'delete', 'getData', 'sync', 'close' as const), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('/a', '/a/b')), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'ephemeral', 'v')), fc.oneof(fc.string({ maxLength: 8 }), fc.constant('2')), (verb, path, data, servers) => {
        const r = clientAction(verb, form({ path, data, servers }), [1, 2, 3]);
        if ('problem' in r) return;
        expect(parseActions(formatAction({ at: 5, action: r.action }), new Set([1, 2, 3]))).toEqual([{ at: 5, action: r.action }]);
      }),
      { numRuns: 500 },
    );
  });

  it('names servers and clients apart', () => {
    expect([nodeName(3), nodeName(1001)]).toEqual(['S3', 'C1']);
  });
});
