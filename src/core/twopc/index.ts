/** Two-phase commit (presumed abort) on the deterministic simulator. */
export { createTwoPc, COORDINATOR_STATES, PARTICIPANT_STATES, type TwoPcView, type TwoPcState, type TwoPcFace } from './twopc';
export { twoPcNodes, twoPcConfig, DEFAULT_TWOPC_TIMING, type TwoPcConfig, type TwoPcTiming, type TwoPcAblations } from './config';
export { labelOf, type TwoPcMessage, type Decision } from './messages';
export { DISK_LOG, type TwoPcNode, type LogRecord } from './state';
export { TwoPcChecker, TWOPC_INVARIANTS, type TwoPcInvariant, type TwoPcSim, type TwoPcCheckerState } from './checker';
