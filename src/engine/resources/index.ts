/**
 * Modelling primitives with no domain in them, as SimPy keeps its resources
 * apart from any model: a paced server (a throughput cap), outage windows and
 * the gate they make, and a per-key throttle. Every network component is
 * built from these.
 */
export { PacedServer } from './paced-server.js';
export { DROPPED, OutageGate, OutageWindows, type OutageMode } from './outage.js';
export { Throttle } from './throttle.js';
