/**
 * Named, seeded random streams. Each consumer (a component, a flow) asks for
 * its own stream by name; a stream's draws depend only on the run seed and
 * that name, so adding a consumer never shifts another's draws.
 */
import seedrandom from 'seedrandom';

/** A uniform source on [0, 1). */
export interface Rng {
  (): number;
}

export class RandomStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number | string) {}

  /** The stream called `name`; the same object on every call. */
  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (!rng) {
      // alea: fast, 32-bit resolution, well mixed for string seeds.
      rng = seedrandom.alea(`${this.seed}\u0000${name}`) as unknown as Rng;
      this.streams.set(name, rng);
    }
    return rng;
  }

  /** Names of the streams drawn from so far, sorted. */
  names(): string[] {
    return [...this.streams.keys()].sort();
  }
}
