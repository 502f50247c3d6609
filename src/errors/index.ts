export {
  HmbError,
  isHmbError,
  type HmbErrorCode,
  type HmbErrorContext,
  type HmbErrorOptions,
} from './hmb-error';
export { HmbBadParamError } from './bad-param-error';
export { HmbBufferFullError } from './buffer-full-error';
export { HmbClosedError } from './closed-error';
export { HmbDecodeError } from './decode-error';
export { HmbEmscError, type HmbEmscErrorOptions, type HmbEmscProblem } from './emsc-error';
export { HmbFilterError } from './filter-error';
export { HmbHttpError } from './http-error';
export { HmbInvalidDataError } from './invalid-data-error';
export {
  HmbInvalidMessageError,
  type HmbInvalidMessageErrorOptions,
} from './invalid-message-error';
export { HmbNetworkError } from './network-error';
export { HmbProtocolError } from './protocol-error';
export { HmbQueueError } from './queue-error';
export { HmbQueueNotFoundError } from './queue-not-found-error';
export { HmbSendError } from './send-error';
export { HmbSessionLimitError, type HmbSessionLimitErrorOptions } from './session-limit-error';
export { HmbSessionLostError } from './session-lost-error';
export { HmbTimeoutError } from './timeout-error';
export { HmbTlsError } from './tls-error';
export { HmbTooLargeError, type HmbSizeLimitKind } from './too-large-error';
