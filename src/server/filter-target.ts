/**
 * What a compiled filter looks at: the message type, its sender and its decoded payload (the shape
 * `compileFilter` from src/protocol/filter takes).
 */
export interface FilterTarget {
  readonly type: string;
  readonly sender?: string;
  readonly data?: unknown;
}
