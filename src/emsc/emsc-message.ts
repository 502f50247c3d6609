import { HmbEmscError } from '../errors/emsc-error';
import type { HmbOutgoing } from '../protocol/outgoing';
import { emscBinary, EMSC_MESSAGE_TYPE, type HmbEmscPayload } from './emsc-envelope';
import { deflateZlib } from './zlib-streams';

/** The author written into envelopes when none is given. */
export const DEFAULT_EMSC_AUTHOR = 'hmb-rx';

/** What {@link emscMessage} sends: a payload as {@link HmbEmscPayload}, the text's encoding optional (UTF-8). */
export type HmbEmscPayloadInput =
  | Exclude<HmbEmscPayload, { kind: 'text' }>
  | { readonly kind: 'text'; readonly text: string; readonly encoding?: string };

/** Options of {@link emscMessage}: the header fields and whether content is compressed. */
export interface HmbEmscMessageOptions {
  /** The publishing agency (`_header.agency`). */
  readonly agency: string;
  /** The publishing program (`_header.author`); default {@link DEFAULT_EMSC_AUTHOR}. */
  readonly author?: string;
  /** Free-form metadata (`_header.metadata`). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** zlib-compress text, bytes and file content (as EmscHmbPublisher's `zlib=True`); default true. */
  readonly compress?: boolean;
  /** The message's topic. */
  readonly topic?: string;
  /** The header's creation time; default now. */
  readonly creationtime?: Date;
}

/**
 * Builds the message EMSC's `EmscHmbPublisher.send` / `send_str` / `send_bin` / `send_file` build
 * (docs/emsc.md): type `EMSC_MSG`, `data` with a `_header` and the payload, content zlib-compressed
 * (RFC 1950) when `compress` is on. EMSC's listener decodes it; send it through a BSON client (the
 * envelope holds binary and a datetime, which a JSON sink refuses). Async because compression is.
 *
 * @example
 * ```ts
 * const sink = new HmbClient(bus, { format: 'bson' }).sink();
 * sink.next(await emscMessage('EMSC_TEST', { kind: 'text', text: 'hello' }, { agency: 'EMSC' }));
 * sink.next(await emscMessage('EMSC_TEST', { kind: 'file', file: 'ev.xml', content }, { agency: 'EMSC' }));
 * ```
 * @throws HmbEmscError for a payload the envelope cannot carry (a text encoding other than UTF-8, a
 *   dict with `_header`/`_type`, a file name with a directory).
 */
export async function emscMessage(
  queue: string,
  payload: HmbEmscPayloadInput,
  options: HmbEmscMessageOptions,
): Promise<HmbOutgoing<Record<string, unknown>>> {
  const compress = options.compress ?? true;
  const header: Record<string, unknown> = {
    creationtime: options.creationtime ?? new Date(),
    author: options.author ?? DEFAULT_EMSC_AUTHOR,
    agency: options.agency,
  };
  if (options.metadata !== undefined) header['metadata'] = options.metadata;
  const content = async (bytes: Uint8Array): Promise<unknown> =>
    emscBinary(compress ? await deflateZlib(bytes) : bytes);
  let data: Record<string, unknown>;
  switch (payload.kind) {
    case 'dict':
      for (const reserved of ['_header', '_type'])
        if (reserved in payload.data)
          throw new HmbEmscError(`an EMSC dict cannot hold ${reserved}`, {
            problem: 'bad-field',
            queue,
          });
      data = { ...payload.data, _header: header };
      break;
    case 'text': {
      const encoding = payload.encoding ?? 'utf-8';
      if (!/^utf-?8$/i.test(encoding))
        throw new HmbEmscError(
          `EMSC text can be sent in UTF-8 only (TextEncoder), not ${JSON.stringify(encoding)}`,
          { problem: 'bad-encoding', queue },
        );
      data = {
        _header: header,
        _type: 'STR',
        encoding,
        zlib: compress,
        content: compress ? await content(new TextEncoder().encode(payload.text)) : payload.text,
      };
      break;
    }
    case 'bytes':
      data = {
        _header: header,
        _type: 'BIN',
        zlib: compress,
        content: await content(payload.bytes),
      };
      break;
    case 'file':
      if (/[/\\]/.test(payload.file) || payload.file === '')
        throw new HmbEmscError(
          `an EMSC file name is a base name, not ${JSON.stringify(payload.file)}`,
          { problem: 'bad-field', queue },
        );
      data = {
        _header: header,
        _type: 'FILE',
        file: payload.file,
        zlib: compress,
        content: await content(payload.content),
      };
      break;
  }
  return {
    type: EMSC_MESSAGE_TYPE,
    queue,
    ...(options.topic === undefined ? {} : { topic: options.topic }),
    data,
  };
}
