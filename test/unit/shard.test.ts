/** The `shard` input: parsing, and each id in exactly one shard, the same for either id form. */
import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardLine, shardOf } from '../../src/action/jobs/shard.js';

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
      expect(shardOf(`${5000 + i}`, 8)).toBe(shardOf(`${5000 + i}.server.example.org`, 8));
      expect(shardOf(`${5000 + i}_3`, 8)).toBe(shardOf(`${5000 + i}_3.server`, 8));
    }
  });

  it('consecutive ids spread one by one: 20 ids over 4 shards are 5 each, whatever the start', () => {
    for (const start of [1, 6001, 4_294_967_290, 12_345_678_901_234]) {
      const counts = new Array(4).fill(0);
      for (let i = 0; i < 20; i++) counts[shardOf(`${start + i}.pbs-m1`, 4)]++;
      expect(counts, String(start)).toEqual([5, 5, 5, 5]);
    }
    // A job's shard does not depend on which other jobs a step sees.
    expect(shardOf('6003.pbs-m1', 4)).toBe(6003 % 4);
    expect(shardOf('123456789012345678901234567890', 7)).toBe(
      Number(123456789012345678901234567890n % 7n),
    );
  });

  it('other ids (array tasks, labels) by a hash, about evenly', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[shardOf(`6000_${i}`, 8)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
    expect(shardOf('campaign/broken', 8)).toBe(shardOf('campaign/broken', 8));
  });

  it('the log line names the shard, and says an empty one in words', () => {
    expect(shardLine({ index: 1, count: 4 }, 5, 20)).toBe('Shard 1/4: 5 of 20 jobs.');
    expect(shardLine({ index: 1, count: 2 }, 0, 1)).toBe('Shard 1/2 has no jobs.');
  });
});
