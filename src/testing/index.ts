/**
 * hmb-rx/testing (Node only): helpers for testing pipelines against a real bus — an embedded bus
 * per test and a TCP proxy that injects network faults.
 *
 * @packageDocumentation
 */
export {
  startFaultProxy,
  type HmbCutPlan,
  type HmbFaultProxy,
  type HmbFaultProxyOptions,
} from './fault-proxy';
export { startTestBus, type HmbTestBus } from './start-test-bus';
