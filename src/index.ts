/**
 * hmb-rx: HMB (httpmsgbus) message buses as cold RxJS Observables.
 *
 * This is the browser-safe entry point: it reaches no Node module. In Node, the package's `node`
 * export condition loads `node.ts` instead, which is the same API with an undici transport.
 *
 * @packageDocumentation
 */
export { HmbClient } from './client/hmb-client';
export {
  DEFAULT_HEARTBEAT_SEC,
  DEFAULT_RECV_ALL_ATTEMPTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type HmbClientOptions,
  type HmbSubscribeOptions,
} from './client/client-options';
export * from './errors/index';
export { classifyHmbError, type HmbErrorClass } from './errors/classify-hmb-error';

export type {
  HmbFeatures,
  HmbInfo,
  HmbStatus,
  HmbQueueInfo,
  HmbTopicInfo,
  HmbSessionStatus,
  HmbQueueStatus,
  HmbCapability,
} from './protocol/bus-info';
export type { HmbFilter, HmbFilterScalar, HmbFilterValue } from './protocol/filter-types';
export type { HmbFormat } from './protocol/hmb-format';
export {
  ANNOUNCEMENT_QUEUE,
  NEW_QUEUE_TYPE,
  type HmbEof,
  type HmbFrame,
  type HmbHeartbeat,
  type HmbMessage,
  type HmbNewQueueData,
} from './protocol/message';
export type { HmbOpenParams, HmbQueueParams } from './protocol/open-params';
export type { HmbOutgoing } from './protocol/outgoing';
export { formatHmbTime, parseHmbTime, type HmbTimeInput } from './protocol/time';
export {
  compileTopicPatterns,
  isValidTopicPattern,
  type HmbTopicMatcher,
} from './protocol/topic-pattern';

export type {
  HmbConnectionState,
  HmbGap,
  HmbHealedEvent,
  HmbLiveEvent,
  HmbLostGap,
  HmbRewindGap,
  HmbStateEvent,
} from './session/connection-state';
export { DEFAULT_GAP_HEAL_ATTEMPTS } from './session/connection-state';
export type { HmbEvent } from './session/hmb-event';
export type { HmbSubscribeParams } from './protocol/open-params';

export {
  retryWithBackoff,
  DEFAULT_RETRY_FACTOR,
  DEFAULT_RETRY_INITIAL_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_SESSION_LIMIT_DELAY_MS,
  type HmbRetryConfig,
  type HmbRetryHooks,
  type HmbRetryInfo,
} from './session/retry-with-backoff';
export { withoutHeartbeats } from './operators/without-heartbeats';

export { FetchTransport, type HmbFetchTransportOptions } from './transport/fetch-transport';
export { DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_RESPONSE_BYTES } from './transport/body-limit';
export type {
  HmbTransport,
  HmbTransportRequest,
  HmbTransportTimeout,
  HmbTransportResponse,
} from './transport/transport';

export {
  compileFilter,
  type HmbCompileFilterOptions,
  type HmbFilterPredicate,
  type HmbFilterTarget,
} from './protocol/filter/index';
export type { HmbReceiveMode } from './session/batch-source';

// The sink is made by HmbClient.sink(): its constructor takes internal session plumbing.
export type { HmbSink } from './sink/hmb-sink';
export type { HmbSendResult, HmbSinkSummary } from './sink/send-result';
export type { HmbSendReceipt } from './sink/send-receipt';
export {
  DEFAULT_SINK_ATTEMPTS,
  DEFAULT_SINK_KEEP_ALIVE_SEC,
  DEFAULT_SINK_MAX_BATCH_BYTES,
  DEFAULT_SINK_MAX_BATCH_MESSAGES,
  DEFAULT_SINK_MAX_BUFFERED_MESSAGES,
  type HmbSinkOptions,
  type HmbUncertainPolicy,
} from './sink/sink-options';

export type { HmbCursorStore, HmbPositions } from './cursor/cursor-store';
export { MemoryCursorStore } from './cursor/memory-cursor-store';
export { LocalStorageCursorStore, type HmbWebStorage } from './cursor/local-storage-cursor-store';
export { DEFAULT_CURSOR_SAVE_INTERVAL_MS, type HmbCursorOptions } from './client/client-options';

export {
  DEFAULT_DEDUPE_WINDOW_SIZE,
  dedupeBy,
  type HmbDedupeByOptions,
} from './operators/dedupe-by';
export { dataOf } from './operators/data-of';
export {
  decodeData,
  type HmbDecodeDataOptions,
  type HmbDataGuard,
  type HmbDataParseFunction,
  type HmbDataSchema,
  type HmbDataValidator,
  type HmbDecoded,
  type HmbOnInvalid,
} from './operators/decode-data';
export type {
  HmbDataFilter,
  HmbFieldCondition,
  HmbFieldOperators,
} from './operators/hmb-data-filter';
export {
  DEFAULT_METRICS_INTERVAL_MS,
  DEFAULT_METRICS_LAG_REFRESH_MS,
  HmbMetrics,
  type HmbMetricsOptions,
  type HmbMetricsSnapshot,
  type HmbQueueMetrics,
} from './client/hmb-metrics';
export {
  mergeBuses,
  type HmbBusSource,
  type HmbBusSubscription,
  type HmbLabelledSource,
  type HmbMergeDedupeOptions,
  type HmbMergeReorderOptions,
  type HmbSourceFailure,
  type HmbSourcedMessage,
  type HmbMergeBusesOptions,
} from './client/merge-buses';
export { ofTopic } from './operators/of-topic';
export { ofType } from './operators/of-type';
export { recvWindow, type HmbWindowItem } from './client/recv-window';
export {
  DEFAULT_REORDER_MAX_BUFFERED,
  reorderByTime,
  type HmbTimeValue,
  type HmbReorderByTimeOptions,
} from './operators/reorder-by-time';
export {
  DEFAULT_SHARE_GRACE_PERIOD_MS,
  shareSubscription,
  type HmbShareSubscriptionOptions,
} from './client/share-subscription';
export { whereData, type HmbWhereDataOptions } from './operators/where-data';

export {
  BSON_NUMBER_TYPES,
  bsonNumberType,
  type HmbBsonNumberType,
} from './protocol/bson-number-types';
export { bsonTyped } from './protocol/bson-typed';
export {
  EMSC_MESSAGE_TYPE,
  readEmscEnvelope,
  type HmbEmscEnvelope,
  type HmbEmscHeader,
  type HmbEmscPayload,
  type HmbEmscSource,
} from './emsc/emsc-envelope';
export {
  DEFAULT_EMSC_AUTHOR,
  emscMessage,
  type HmbEmscMessageOptions,
  type HmbEmscPayloadInput,
} from './emsc/emsc-message';
export {
  decodeEmsc,
  type HmbDecodeEmscOptions,
  type HmbEmscMessage,
  type HmbOnBadEnvelope,
} from './operators/decode-emsc';
