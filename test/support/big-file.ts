/**
 * A big file for the transfer fault tests: `mib` MiB written a MiB at a time, not sparse, each
 * MiB different (its first byte), so no copy can take it for holes or for another MiB. Returns
 * its SHA-256 (hex), for comparing the copy with.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const MIB = 1024 * 1024;

export async function bigFile(file: string, mib: number): Promise<string> {
  const block = Buffer.alloc(MIB);
  for (let i = 0; i < block.length; i++) block[i] = (i * 7919 + 13) % 251;
  const hash = createHash('sha256');
  const fh = await open(file, 'w');
  try {
    for (let i = 0; i < mib; i++) {
      block[0] = i % 256;
      hash.update(block);
      await fh.write(block);
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
