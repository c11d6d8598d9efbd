export { Simulator, type Handler, type EventHandle } from './simulator.js';
export { RandomStreams, type Rng } from './random.js';
export {
  compile,
  checkDistribution,
  meanOf,
  exponential,
  standardExponential,
  standardNormal,
  bernoulli,
  DISTRIBUTION_NAMES,
  type DistributionSpec,
  type Sampler,
} from './distributions.js';
export { SortedChain, FifoChain, TimeoutChain } from './chains.js';
export { floorMod } from './modulo.js';
