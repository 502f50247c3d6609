import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { HmbMessage } from '../protocol/message';
import { compileTopicPatterns } from '../protocol/topic-pattern';

/**
 * Keeps the messages whose topic matches the patterns, with exactly the semantics of the HMB
 * `topics` parameter (it uses the same matcher as the embedded server): `?` is one character,
 * `*` any run, both anchored and case-sensitive; a leading `!` excludes. A message passes if it
 * matches any positive pattern (or there is none) and no negative one; a message without a topic
 * has topic `""`. No patterns at all lets everything through, as on the server.
 *
 * Frames that are not messages (heartbeats, EOF, and the other events of `client.events()`) pass
 * unchanged, as the server sends heartbeats and EOF whatever the topics of a session.
 *
 * Prefer the `topics` parameter where you can (the server then does not send what you do not
 * want); use this operator to split one subscription several ways, or on a stream merged from
 * several buses.
 *
 * @example
 * ```ts
 * import { HmbClient, ofTopic } from 'hmb-rx';
 * const client = new HmbClient('http://127.0.0.1:8000/seismo');
 * const alerts$ = client.subscribe({ queue: { SYSTEM_ALERT: {} } });
 * alerts$.pipe(ofTopic('EUROPE', 'ASIA_*', '!ASIA_TEST')).subscribe((m) => console.log(m.topic));
 * ```
 * @param patterns - topic patterns (`[A-Za-z0-9_?*]`, optional leading `!`).
 * @returns an operator that drops the messages the patterns exclude.
 * @throws HmbBadParamError when the operator is created with an invalid pattern (the server
 *   would refuse it with `topic contains invalid characters`).
 */
export function ofTopic<In extends { readonly kind: string }>(
  ...patterns: readonly string[]
): MonoTypeOperatorFunction<In> {
  const matches = compileTopicPatterns(patterns);
  return filter(
    (frame) => frame.kind !== 'message' || matches((frame as unknown as HmbMessage<unknown>).topic),
  );
}
