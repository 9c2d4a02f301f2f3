import { describe, expect, it } from 'vitest';
import { moveAcrossPartition } from './partition';

const snap = (ids: number[], groups: Record<number, number> = {}) => ({ nodes: ids.map((id) => ({ id })) as never, groups });

describe('moveAcrossPartition (key P)', () => {
  it('cuts a server off when the network is whole', () => {
    expect(moveAcrossPartition(snap([1, 2, 3]), 2)).toEqual({ verb: 'partition', groups: [[1, 3], [2]] });
  });
  it('moves a server to the other of two sides, and a second press brings it back', () => {
    expect(moveAcrossPartition(snap([1, 2, 3, 4, 5], { 1: 1 }), 2)).toEqual({ verb: 'partition', groups: [[1, 2], [3, 4, 5]] });
    expect(moveAcrossPartition(snap([1, 2, 3, 4, 5], { 1: 1, 2: 1 }), 2)).toEqual({ verb: 'partition', groups: [[1], [2, 3, 4, 5]] });
  });
  it('heals when the move leaves one side', () => {
    expect(moveAcrossPartition(snap([1, 2, 3], { 2: 1 }), 2)).toEqual({ verb: 'heal' });
  });
  it('cycles through three sides', () => {
    expect(moveAcrossPartition(snap([1, 2, 3, 4], { 3: 1, 4: 2 }), 1)).toEqual({ verb: 'partition', groups: [[1, 3], [2], [4]] });
  });
  it('does nothing for a server that is not there', () => {
    expect(moveAcrossPartition(snap([1, 2, 3]), 9)).toBeNull();
  });
});
