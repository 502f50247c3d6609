// The tests use the same helper the package offers its users (hmb-rx/testing).
export { startTestBus, type HmbTestBus as TestBus } from '../../src/testing/start-test-bus';
