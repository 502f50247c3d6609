import type { HmbFilterTarget } from '../protocol/filter';
import { payloadToValue, type Payload } from './payload';
import { encodeMessageBson, encodeMessageJson } from './wire/encode-message';
import type { GoTime } from './wire/go-time';

/** The fields of a message as the server stores it (everything but its seq). */
export interface MessageFields {
  readonly type: string;
  readonly queue: string;
  readonly sender: string | undefined;
  readonly topic: string | undefined;
  readonly starttime: GoTime | undefined;
  readonly endtime: GoTime | undefined;
  readonly scMessageType: bigint | undefined;
  readonly scContentType: string | undefined;
  readonly gdacs: Payload | undefined;
  readonly data: Payload | undefined;
}

/**
 * One message in a queue. Its wire forms are encoded at most once per format and kept, so
 * delivering it to any number of sessions costs no re-encoding; the decoded payload a filter needs
 * is kept the same way.
 */
export class StoredMessage implements MessageFields {
  readonly type: string;
  readonly queue: string;
  readonly sender: string | undefined;
  readonly topic: string | undefined;
  readonly starttime: GoTime | undefined;
  readonly endtime: GoTime | undefined;
  readonly scMessageType: bigint | undefined;
  readonly scContentType: string | undefined;
  readonly gdacs: Payload | undefined;
  readonly data: Payload | undefined;
  private jsonBytes: Buffer | undefined;
  private bsonBytes: Buffer | undefined;
  private filterTarget: HmbFilterTarget | undefined;

  constructor(
    readonly seq: number,
    fields: MessageFields,
  ) {
    this.type = fields.type;
    this.queue = fields.queue;
    this.sender = fields.sender;
    this.topic = fields.topic;
    this.starttime = fields.starttime;
    this.endtime = fields.endtime;
    this.scMessageType = fields.scMessageType;
    this.scContentType = fields.scContentType;
    this.gdacs = fields.gdacs;
    this.data = fields.data;
  }

  /** The message as a JSON session receives it (without the `"n":` list key). */
  json(): Buffer {
    return (this.jsonBytes ??= encodeMessageJson(this));
  }

  /** The message as a BSON session receives it: one document. */
  bson(): Buffer {
    return (this.bsonBytes ??= encodeMessageBson(this));
  }

  /** What a filter sees: type, sender and the decoded payload. */
  target(): HmbFilterTarget {
    if (this.filterTarget === undefined) {
      const base = {
        type: this.type,
        ...(this.sender === undefined ? {} : { sender: this.sender }),
      };
      this.filterTarget =
        this.data === undefined ? base : { ...base, data: payloadToValue(this.data) };
    }
    return this.filterTarget;
  }
}
