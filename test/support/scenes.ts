/**
 * `scene()` for a bundle suite: each call a new private Scene (test/corpus/harness.ts), its
 * directory named by `prefix`; all of them removed after the file's tests. `prepare` runs on
 * each new one (a file whose sshd user reads the scene opens its directory).
 *
 * The removal is an `afterAll` registered by this call; vitest runs `afterAll` hooks in the
 * reverse order of registration ('stack'), so one registered later in the file (an unmount of
 * a directory inside a scene) runs before it.
 */
import { afterAll } from 'vitest';
import { Scene } from '../corpus/harness.js';

export function sceneMaker(prefix?: string, prepare?: (s: Scene) => void): () => Scene {
  const made: Scene[] = [];
  afterAll(() => {
    for (const s of made) s.cleanup();
  });
  return () => {
    const s = new Scene(prefix);
    prepare?.(s);
    made.push(s);
    return s;
  };
}
