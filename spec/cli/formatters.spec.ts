import { HmbQueueNotFoundError, type HmbMessage } from '../../src/node';
import { colorWanted, painter, stripAnsi, visibleWidth } from '../../src/cli/ansi';
import { formatFeatures, formatInfoTable, formatStatusTable } from '../../src/cli/format-bus-info';
import { errorReason, formatError } from '../../src/cli/format-error';
import {
  formatMessageLine,
  jsonSafe,
  messageToJsonLine,
  shortTime,
  timeSpan,
} from '../../src/cli/format-message';
import { formatServerEvent, timeOfDay } from '../../src/cli/format-server-event';
import { formatGap, formatState } from '../../src/cli/format-state';
import { formatProgress } from '../../src/cli/progress-format';
import { renderPairs, renderTable } from '../../src/cli/table';

const plain = painter(false);
const colour = painter(true);

const message: HmbMessage = {
  kind: 'message',
  type: 'ALERT',
  queue: 'SYSTEM_ALERT',
  seq: 42,
  topic: 'EUROPE',
  sender: 'seiscomp',
  starttime: '2026-11-24T06:00:00.000000Z',
  endtime: '2026-11-24T06:00:10.500000Z',
  data: { magnitude: 5.2, region: 'Crete' },
};

describe('cli: format-message', () => {
  it('cli: a JSON line is the message without kind, in the server field order', () => {
    expect(messageToJsonLine(message)).toBe(
      '{"type":"ALERT","queue":"SYSTEM_ALERT","seq":42,"topic":"EUROPE","sender":"seiscomp",' +
        '"starttime":"2026-11-24T06:00:00.000000Z","endtime":"2026-11-24T06:00:10.500000Z",' +
        '"data":{"magnitude":5.2,"region":"Crete"}}',
    );
    expect(messageToJsonLine({ kind: 'message', type: 'T', queue: 'Q', seq: 0 })).toBe(
      '{"type":"T","queue":"Q","seq":0}',
    );
  });

  it('cli: 64-bit integers become numbers when exact, strings otherwise', () => {
    const big: HmbMessage = {
      kind: 'message',
      type: 'T',
      queue: 'Q',
      seq: 1,
      data: { small: 5n, huge: 2n ** 63n - 1n },
    };
    expect(JSON.parse(messageToJsonLine(big))).toMatchObject({
      data: { small: 5, huge: '9223372036854775807' },
    });
    expect(jsonSafe('k', 'x')).toBe('x');
  });

  it('cli: a readable line without colours', () => {
    expect(formatMessageLine(message, plain)).toBe(
      'SYSTEM_ALERT#42 ALERT EUROPE 2026-11-24T06:00:00Z–06:00:10.5Z ' +
        '{"magnitude":5.2,"region":"Crete"} ← seiscomp',
    );
    expect(formatMessageLine({ kind: 'message', type: 'T', queue: 'Q', seq: 0 }, plain)).toBe(
      'Q#0 T',
    );
  });

  it('cli: a readable line with colours reads the same once the codes are stripped', () => {
    const line = formatMessageLine(message, colour);
    expect(line).toContain('\u001b[36mSYSTEM_ALERT\u001b[39m');
    expect(line).toContain('\u001b[1m\u001b[33mALERT\u001b[39m\u001b[22m');
    expect(stripAnsi(line)).toBe(formatMessageLine(message, plain));
  });

  it('cli: time spans are shortened for a terminal line', () => {
    const t = (s: string): string => `2026-11-24T${s}.000000Z`;
    expect(timeSpan(t('06:00:00'), t('06:00:00'))).toBe('2026-11-24T06:00:00Z');
    expect(timeSpan(t('06:00:00'), t('07:00:00'))).toBe('2026-11-24T06:00:00Z–07:00:00Z');
    expect(timeSpan(t('23:00:00'), '2026-11-25T01:00:00.000000Z')).toBe(
      '2026-11-24T23:00:00Z–2026-11-25T01:00:00Z',
    );
    expect(timeSpan(t('06:00:00'), undefined)).toBe('2026-11-24T06:00:00Z–');
    expect(timeSpan(undefined, t('06:00:00'))).toBe('–2026-11-24T06:00:00Z');
    expect(timeSpan(undefined, undefined)).toBeUndefined();
  });

  it('cli: times lose only their zero fraction digits', () => {
    expect(shortTime('2020-01-01T00:00:10.000000Z')).toBe('2020-01-01T00:00:10Z');
    expect(shortTime('2020-01-01T00:00:10.120000Z')).toBe('2020-01-01T00:00:10.12Z');
    expect(shortTime('2020-01-01T00:00:10.000001Z')).toBe('2020-01-01T00:00:10.000001Z');
    expect(shortTime(undefined)).toBe('');
  });
});

describe('cli: ansi', () => {
  it('cli: colours only on a terminal, never with NO_COLOR set', () => {
    expect(colorWanted({ isTTY: true }, {})).toBe(true);
    expect(colorWanted({ isTTY: false }, {})).toBe(false);
    expect(colorWanted({}, {})).toBe(false);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    // no-color.org: an empty NO_COLOR does not count.
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('cli: visible width ignores escape codes and counts characters, not bytes', () => {
    expect(visibleWidth(colour('red', 'abc'))).toBe(3);
    expect(visibleWidth('a–b')).toBe(3);
  });
});

describe('cli: table', () => {
  it('cli: columns are padded to the widest cell, numbers right-aligned, no trailing spaces', () => {
    const text = renderTable(
      [{ header: 'QUEUE' }, { header: 'N', align: 'right' }, { header: 'NOTE' }],
      [
        ['A', '5', ''],
        ['LONGER', '12345', 'x'],
      ],
    );
    expect(text.split('\n')).toEqual(['QUEUE       N  NOTE', 'A           5', 'LONGER  12345  x']);
  });

  it('cli: coloured cells align like plain ones', () => {
    const rows = [[colour('cyan', 'A'), '1']];
    const columns = [{ header: 'Q' }, { header: 'N', align: 'right' as const }];
    expect(stripAnsi(renderTable(columns, rows, (h) => colour('bold', h)))).toBe(
      renderTable(columns, [['A', '1']]),
    );
  });

  it('cli: pairs align their values', () => {
    expect(
      renderPairs([
        ['a', '1'],
        ['long name', '2'],
        ['empty', ''],
      ]),
    ).toBe('a          1\nlong name  2\nempty');
  });
});

describe('cli: format-bus-info', () => {
  it('cli: the info table sorts queues and counts their messages', () => {
    const text = formatInfoTable(
      {
        queue: {
          Q: {
            startseq: 5,
            endseq: 12,
            starttime: null,
            endtime: '2020-01-01T00:00:10.500000Z',
            topic: {
              '': { starttime: null, endtime: null },
              EU: { starttime: null, endtime: null },
            },
          },
          ANNOUNCEMENT: {
            startseq: null,
            endseq: null,
            starttime: null,
            endtime: null,
            topic: null,
          },
        },
      },
      plain,
    );
    expect(text.split('\n')).toEqual([
      'QUEUE         STARTSEQ  ENDSEQ  MESSAGES  STARTTIME  ENDTIME                 TOPICS',
      'ANNOUNCEMENT         –       –         0  –          –                       –',
      'Q                    5      12         7  –          2020-01-01T00:00:10.5Z  (none),EU',
    ]);
  });

  it('cli: features as name/value lines', () => {
    expect(
      formatFeatures(
        { software: 'httpmsgbus v0.16', functions: [], capabilities: ['JSON', 'BSON'] },
        plain,
      ),
    ).toBe('software      httpmsgbus v0.16\nfunctions     –\ncapabilities  JSON BSON');
  });

  it('cli: the status table lists sessions oldest first, queues as NAME@NEXTSEQ', () => {
    const session = {
      address: '127.0.0.1:5000',
      sent: 10,
      received: 200,
      format: 'JSON' as const,
      heartbeat: 30,
      recv_limit: 0,
    };
    const queue = {
      topics: null,
      endseq: null,
      starttime: null,
      endtime: null,
      qlen: null,
      oowait: null,
      keep: true,
      seedlink: false,
    };
    const text = formatStatusTable(
      {
        session: {
          NEWER: { ...session, cid: 'b', ctime: '2026-11-24T10:00:01.000000Z', queue: {} },
          OLDER: {
            ...session,
            cid: 'a',
            ctime: '2026-11-24T10:00:00.000000Z',
            queue: { Q: { ...queue, seq: 3, eof: false }, R: { ...queue, seq: 9, eof: true } },
          },
        },
      },
      plain,
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^SID\s+CID\s+ADDRESS\s+CREATED\s+FORMAT\s+HEARTBEAT\s+SENT\s+RECEIVED\s+QUEUES$/,
    );
    expect(lines[1]).toMatch(
      /^OLDER\s+a\s+127\.0\.0\.1:5000\s+2026-11-24T10:00:00Z\s+JSON\s+30\s+10\s+200\s+Q@3 R@9\(eof\)$/,
    );
    expect(lines[2]).toMatch(/^NEWER\s+b .* –$/);
    expect(formatStatusTable({ session: {} }, plain)).toBe('no sessions');
  });
});

describe('cli: format-state and format-error', () => {
  const url = 'http://127.0.0.1:8000/bus';

  it('cli: connection states worth a line', () => {
    expect(formatState({ type: 'opening', attempt: 0 }, url, plain)).toBe(`connecting to ${url}`);
    expect(formatState({ type: 'opening', attempt: 2 }, url, plain)).toBeUndefined();
    expect(formatState({ type: 'open', sid: 'S', cid: 'C', attempt: 0 }, url, plain)).toBe(
      'connected (session S, cid C)',
    );
    expect(formatState({ type: 'open', sid: 'S', cid: 'C', attempt: 3 }, url, plain)).toBe(
      'reconnected (session S, cid C)',
    );
    expect(
      formatState(
        { type: 'resuming', error: new Error('socket hang up\n'), attempt: 1, delayMs: 420 },
        url,
        plain,
      ),
    ).toBe('reconnecting in 420 ms because socket hang up (attempt 1)');
    expect(
      formatState({ type: 'lost', error: new Error('x'), attempt: 1 }, url, plain),
    ).toBeUndefined();
    expect(formatState({ type: 'closed' }, url, plain)).toBeUndefined();
  });

  it('cli: gaps name the queue and the seqs that will never arrive', () => {
    expect(
      formatGap({ kind: 'gap', queue: 'Q', expectedSeq: 5, nextSeq: 9, reason: 'trimmed' }, plain),
    ).toBe('gap in Q: seqs 5–8 will never arrive (no longer on the server)');
    expect(
      formatGap({ kind: 'gap', queue: 'Q', expectedSeq: 5, nextSeq: 6, reason: 'skipped' }, plain),
    ).toBe('gap in Q: seq 5 will never arrive (the server skipped them)');
    expect(
      formatGap(
        {
          kind: 'gap',
          queue: 'Q',
          expectedSeq: 10,
          nextSeq: 3,
          reason: 'rewind',
          lostFrom: 3,
          lostTo: 9,
          epoch: 1,
        },
        plain,
      ),
    ).toMatch(/^gap in Q: the server lost seqs 3–9 .*epoch 1$/);
  });

  it('cli: errors are one line starting with their code', () => {
    expect(formatError(new HmbQueueNotFoundError('queue not found: NOPE'))).toBe(
      'HMB_ERR_QUEUE_NOT_FOUND: queue not found: NOPE',
    );
    const listen = Object.assign(new Error('listen EADDRINUSE: address already in use'), {
      code: 'EADDRINUSE',
    });
    expect(formatError(listen)).toBe('EADDRINUSE: listen EADDRINUSE: address already in use');
    expect(formatError(new Error('two\n  lines\n'))).toBe('two lines');
    expect(formatError('text')).toBe('text');
    expect(errorReason(42)).toBe('42');
  });
});

describe('cli: progress-format', () => {
  it('cli: a known size shows the bar, percentage and count', () => {
    expect(formatProgress({ value: 5, total: 10, upperBound: false, label: 'Q' }, plain, 10)).toBe(
      '█████░░░░░  50% | 5/10 messages | Q',
    );
    expect(formatProgress({ value: 0, total: 0, upperBound: false, label: 'Q' }, plain, 4)).toBe(
      '████ 100% | 0/0 messages | Q',
    );
  });

  it('cli: an upper bound is marked, and more than expected keeps the bar full', () => {
    expect(formatProgress({ value: 1, total: 4, upperBound: true, label: 'Q' }, plain, 4)).toBe(
      '█░░░  25% | 1/≤4 messages | Q',
    );
    expect(formatProgress({ value: 6, total: 4, upperBound: false, label: 'Q' }, plain, 4)).toBe(
      '████ 100% | 6/6 messages | Q',
    );
  });

  it('cli: an unknown size shows the count only', () => {
    expect(
      formatProgress({ value: 1, total: undefined, upperBound: false, label: 'Q' }, plain),
    ).toBe('1 message | Q');
  });
});

describe('cli: format-server-event', () => {
  const noon = new Date(2026, 10, 24, 12, 0, 5, 7);

  it('cli: every event is one line with the time of day', () => {
    expect(timeOfDay(noon)).toBe('12:00:05.007');
    expect(formatServerEvent({ type: 'queue-created', bus: 'b', queue: 'Q' }, noon, plain)).toBe(
      '12:00:05.007 b: queue Q created',
    );
    expect(
      formatServerEvent(
        {
          type: 'session-opened',
          bus: 'b',
          sid: 'S',
          cid: 'C',
          address: '1.2.3.4:5',
          format: 'BSON',
        },
        noon,
        plain,
      ),
    ).toBe('12:00:05.007 b: session S opened by 1.2.3.4:5 (cid C, BSON)');
    expect(
      formatServerEvent(
        {
          type: 'request-error',
          method: 'POST',
          path: '/b/send/x',
          status: 400,
          message: 'invalid session\n',
          address: '1.2.3.4:5',
        },
        noon,
        plain,
      ),
    ).toBe('12:00:05.007 POST /b/send/x from 1.2.3.4:5: 400 invalid session');
    expect(formatServerEvent({ type: 'closed' }, noon, plain)).toBe('12:00:05.007 stopped');
  });
  it('cli: client-chosen names cannot forge log lines or colour the terminal', () => {
    const line = formatServerEvent(
      {
        type: 'session-opened',
        bus: 'b\n12:00:00.000 forged',
        sid: 's',
        cid: '\u001b[31mred\r\u2028',
        address: '1.2.3.4:5',
        format: 'JSON',
      },
      noon,
      plain,
    );
    expect(line).toBe(
      '12:00:05.007 b\\n12:00:00.000 forged: session s opened by 1.2.3.4:5 (cid \\x1b[31mred\\r\\u2028, JSON)',
    );
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(line).not.toMatch(/[\u0000-\u001f\u2028]/);
  });
});
