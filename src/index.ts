/**
 * hmb-rx: HMB (httpmsgbus) message buses as cold RxJS Observables.
 *
 * This is the browser-safe entry point: it reaches no Node module. In Node, the package's `node`
 * export condition loads `node.ts` instead, which is the same API with an undici transport.
 *
 * @packageDocumentation
 */
export { HmbClient, DEFAULT_ONE_SHOT_ATTEMPTS } from './client/hmb-client';
export {
  DEFAULT_HEARTBEAT_SEC,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_WATCHDOG_GRACE_MS,
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
export { BSON_CONTENT_TYPE, JSON_CONTENT_TYPE, type HmbFormat } from './protocol/hmb-format';
export {
  ANNOUNCEMENT_QUEUE,
  EOF,
  EOF_TYPE,
  HEARTBEAT,
  HEARTBEAT_TYPE,
  NEW_QUEUE_TYPE,
  type HmbEof,
  type HmbFrame,
  type HmbHeartbeat,
  type HmbMessage,
  type HmbNewQueueData,
} from './protocol/message';
export type {
  HmbOpenAck,
  HmbOpenParams,
  HmbOpenQueueAck,
  HmbQueueParams,
} from './protocol/open-params';
export type { HmbOutgoing } from './protocol/outgoing';
export { formatHmbTime, parseHmbTime, HMB_TIME_PATTERN, type HmbTimeInput } from './protocol/time';
export {
  compileTopicPatterns,
  isValidTopicPattern,
  type HmbTopicMatcher,
} from './protocol/topic-pattern';
export { decodeJsonFrames } from './protocol/json-codec';
export { decodeBsonFrames } from './protocol/bson-codec';

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
export type { HmbSubscribeParams } from './session/subscription-cursor';

export {
  backoffDelayMs,
  retryWithBackoff,
  DEFAULT_RETRY_FACTOR,
  DEFAULT_RETRY_INITIAL_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_SESSION_LIMIT_DELAY_MS,
  type HmbRetryConfig,
  type HmbRetryHooks,
  type HmbRetryInfo,
} from './operators/retry-with-backoff';
export { watchdog } from './operators/watchdog';
export { withoutHeartbeats } from './operators/without-heartbeats';

export { FetchTransport, type FetchTransportOptions } from './transport/fetch-transport';
export { DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_RESPONSE_BYTES } from './transport/body-limit';
export type {
  HmbTransport,
  HmbTransportRequest,
  HmbTransportResponse,
} from './transport/transport';

export {
  compileFilter,
  MAX_FILTER_CLAUSES,
  MAX_FILTER_DEPTH,
  type CompileFilterOptions,
  type HmbFilterPredicate,
  type HmbFilterTarget,
} from './protocol/filter/index';
export { BsonFrameDecoder } from './protocol/bson-frame-decoder';
export { JsonFrameDecoder } from './protocol/json-frame-decoder';
export type { HmbFrameDecoder } from './protocol/frame-decoder';
export { RESERVED_TYPES } from './protocol/outgoing-wire';
export { AUTO_STREAM_FAILURES_BEFORE_POLL, type HmbReceiveMode } from './session/batch-source';

export { DEFAULT_SEND_ATTEMPTS } from './client/hmb-client';
export { HmbSink } from './sink/hmb-sink';
export type { HmbSendResult, HmbSinkSummary } from './sink/send-result';
export {
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

export { DEFAULT_DEDUPE_WINDOW_SIZE, dedupeBy, type DedupeByOptions } from './operators/dedupe-by';
export { dataOf } from './operators/data-of';
export {
  decodeData,
  type DecodeDataOptions,
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
} from './operators/hmb-metrics';
export {
  mergeBuses,
  type HmbBusSource,
  type HmbBusSubscription,
  type HmbLabelledSource,
  type HmbMergeDedupeOptions,
  type HmbMergeReorderOptions,
  type HmbSourceFailure,
  type HmbSourcedMessage,
  type MergeBusesOptions,
} from './operators/merge-buses';
export { ofTopic } from './operators/of-topic';
export { ofType } from './operators/of-type';
export { recvWindow, type HmbWindowItem } from './operators/recv-window';
export {
  DEFAULT_REORDER_MAX_BUFFERED,
  reorderByTime,
  type HmbTimeValue,
  type ReorderByTimeOptions,
} from './operators/reorder-by-time';
export {
  DEFAULT_SHARE_GRACE_PERIOD_MS,
  shareSubscription,
  type ShareSubscriptionOptions,
} from './operators/share-subscription';
export { whereData, type WhereDataOptions } from './operators/where-data';
