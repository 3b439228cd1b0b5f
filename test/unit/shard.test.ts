/** The `shard` input: parsing, and each id in exactly one shard, the same for either id form. */
import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardKey } from '../../src/action/shard.js';

describe('shard', () => {
  it('parses k/n; empty means no sharding; refuses the rest', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(parseShard('')).toBeUndefined();
    for (const bad of ['0/8', '9/8', '2/0', '2', '2/8/1', '-1/8', 'a/b', '1.5/8']) {
      expect(() => parseShard(bad), bad).toThrow(/Input 'shard' must be 'k\/n'/);
    }
  });

  it('puts every id in exactly one of n shards', () => {
    for (const n of [1, 2, 3, 8, 13]) {
      for (let i = 0; i < 500; i++) {
        const id = `${100000 + i}.pbs-m1.metacentrum.cz`;
        const owners = Array.from({ length: n }, (_, k) => k + 1).filter((k) =>
          inShard(id, { index: k, count: n }),
        );
        expect(owners.length).toBe(1);
      }
    }
  });

  it('the short and the full id of a job land in the same shard', () => {
    for (let i = 0; i < 200; i++) {
      expect(shardKey(`${5000 + i}`)).toBe(shardKey(`${5000 + i}.server.example.org`));
    }
    expect(shardKey('123_4')).not.toBe(shardKey('123_5'));
  });

  it('ids that count up fill 8 shards about evenly', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[shardKey(String(6000 + i)) % 8]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});
