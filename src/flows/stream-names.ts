/**
 * Names of the random streams the flows draw from. Every background generator
 * and every scenario event has its own (README "How it is built": adding one
 * never changes another's draws); an event's stream is named by its position
 * in the scenario's event list and its type, `events/<index>-<type>`, the
 * index as the scenario file's `events[<index>]` counts it.
 */
export function eventStreamName(index: number, type: string): string {
  return `events/${index}-${type}`;
}
