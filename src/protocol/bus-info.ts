/** The time span of one topic of a queue, as /info reports it (`starttime` is always null). */
export interface HmbTopicInfo {
  readonly starttime: string | null;
  readonly endtime: string | null;
}

/** What /info says of one queue. */
export interface HmbQueueInfo {
  /** Oldest seq the server still holds (`null` for an empty queue). */
  readonly startseq: number | null;
  readonly starttime: string | null;
  /** Last seq + 1 (`null` for an empty queue). */
  readonly endseq: number | null;
  /** End time of the newest message, `null` when it has none. */
  readonly endtime: string | null;
  /** Per topic (key `""` for messages without one); `null` for an empty queue. */
  readonly topic: Readonly<Record<string, HmbTopicInfo>> | null;
}

/** The answer to /info: every queue of the bus. */
export interface HmbInfo {
  readonly queue: Readonly<Record<string, HmbQueueInfo>>;
}

/** A capability a server may list in /features. */
export type HmbCapability =
  'JSON' | 'BSON' | 'INFO' | 'STREAM' | 'WINDOW' | 'FILTER' | 'REGEX' | 'OOD' | (string & {});

/** The answer to /features. */
export interface HmbFeatures {
  /** e.g. `httpmsgbus v0.16 (2024.010)`. */
  readonly software: string;
  /** The server's roles (e.g. `SC3MASTER`); empty on a plain bus. */
  readonly functions: readonly string[];
  readonly capabilities: readonly HmbCapability[];
}

/** One queue of a session, as /status reports it. */
export interface HmbQueueStatus {
  readonly topics: readonly string[] | null;
  /** The subscription's next seq. */
  readonly seq: number | null;
  readonly endseq: number | null;
  readonly starttime: string | null;
  readonly endtime: string | null;
  readonly qlen: number | null;
  readonly oowait: number | null;
  readonly keep: boolean;
  readonly seedlink: boolean;
  readonly eof: boolean;
}

/** One session, as /status reports it. */
export interface HmbSessionStatus {
  readonly cid: string;
  /** `ip:port` of the connection that opened the session. */
  readonly address: string;
  /** Creation time. */
  readonly ctime: string;
  /** Bytes of request bodies received from the client. */
  readonly sent: number;
  /** Bytes of /recv and /stream bodies written to the client. */
  readonly received: number;
  readonly format: 'JSON' | 'BSON';
  readonly heartbeat: number;
  readonly recv_limit: number;
  readonly queue: Readonly<Record<string, HmbQueueStatus>>;
}

/** The answer to /status: every session of the bus. */
export interface HmbStatus {
  readonly session: Readonly<Record<string, HmbSessionStatus>>;
}
