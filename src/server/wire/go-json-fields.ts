// The JSON fields that /open and /send decode the same way, as Go decodes them into the original's
// structs: `seq` and the times through their own decoders (which see the literal and abort the
// whole body on error), plain integers and free-form values through encoding/json (which records
// the first type error and goes on).

import { goTypeError, type GoTypeErrors } from './go-decode-errors';
import { goJsonToValue, rawText, type GoJsonNode } from './go-json-parse';
import { goParseInt } from './go-strconv';
import { parseGoTime, type GoTime } from './go-time';
import { MalformedRequest } from './malformed-request';

/**
 * A `seq`/`endseq` field: the original's `Sequence` type parses the literal itself with
 * `strconv.ParseInt`, so `0.0` or `"5"` abort the body (`strconv.ParseInt: parsing "0.0": invalid
 * syntax`). `undefined` for `null`.
 *
 * @throws MalformedRequest with strconv's text.
 */
export function jsonSeqField(body: Buffer, node: GoJsonNode): bigint | undefined {
  const raw = rawText(body, node);
  if (raw === 'null') return undefined;
  const parsed = goParseInt(raw);
  if (!parsed.ok) throw new MalformedRequest(parsed.error);
  return parsed.value;
}

/**
 * A `starttime`/`endtime` field: the original's `Time` type parses the quoted token with the layout
 * `"2006-01-02T15:04:05Z"`, quotes included (`parsing time "\"…\"" as …`). `undefined` for `null`.
 *
 * @throws MalformedRequest with Go's time-parse text.
 */
export function jsonTimeField(body: Buffer, node: GoJsonNode): GoTime | undefined {
  const raw = rawText(body, node);
  if (raw === 'null') return undefined;
  const parsed = parseGoTime(raw, true);
  if (!parsed.ok) throw new MalformedRequest(parsed.error);
  return parsed.time;
}

/**
 * A Go `int` struct field: `undefined` for `null`; a wrong kind or a number that is not an int64
 * literal saves Go's type error (`json: cannot unmarshal number 1.5 into Go struct field
 * OpenParam.heartbeat of type int`) and gives `undefined`.
 */
export function jsonIntField(
  node: GoJsonNode,
  errors: GoTypeErrors,
  struct: string,
  field: string,
): bigint | undefined {
  if (node.t === 'null') return undefined;
  if (node.t !== 'num') {
    errors.kind(node, 'int', struct, field);
    return undefined;
  }
  const parsed = goParseInt(node.raw);
  if (!parsed.ok) {
    errors.save(goTypeError(`number ${node.raw}`, 'int', struct, field));
    return undefined;
  }
  return parsed.value;
}

/**
 * A free-form field (`interface{}` or `map[string]interface{}`: a filter, `data`, `gdacs`) as a JS
 * value; a number beyond float64 saves Go's type error for that field.
 */
export function jsonValueField(
  node: GoJsonNode,
  errors: GoTypeErrors,
  struct: string,
  field: string,
): unknown {
  return goJsonToValue(node, (literal) =>
    errors.save(goTypeError(`number ${literal}`, 'float64', struct, field)),
  );
}

/**
 * A `map[string]interface {}` field (a filter, `gdacs`) as a JS object: `undefined` for `null`;
 * anything but an object saves Go's type error for that field (which fails the whole body) and
 * gives `undefined`.
 */
export function jsonMapField(
  node: GoJsonNode,
  errors: GoTypeErrors,
  struct: string,
  field: string,
): unknown {
  if (node.t === 'null') return undefined;
  if (node.t !== 'obj') {
    errors.kind(node, 'map[string]interface {}', struct, field);
    return undefined;
  }
  return jsonValueField(node, errors, struct, field);
}
