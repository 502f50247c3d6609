import { serialize } from 'bson';
import {
  FILTER_CASES,
  FILTER_MESSAGES,
  FILTER_NO_REGEX_CASES,
  FILTER_REGEX_CASES,
  FILTER_SENDER_CID,
  type FilterCase,
} from '../fixtures/filter-cases';
import { TestBus } from '../helpers/raw-http';

// The shared filter table (spec/fixtures/filter-cases.ts), run through a real bus: the messages
// are sent by a session whose cid is FILTER_SENDER_CID, then one keep:false session per case
// receives them with the case's filter. Both sender formats are run, so filters see payloads that
// arrived as JSON values and as raw BSON alike.
const MODES: ReadonlyArray<{
  label: string;
  regex: boolean;
  sender: 'JSON' | 'BSON';
  cases: FilterCase[];
}> = [
  {
    label: 'JSON sender, no REGEX',
    regex: false,
    sender: 'JSON',
    cases: [...FILTER_CASES, ...FILTER_NO_REGEX_CASES],
  },
  {
    label: 'BSON sender, no REGEX',
    regex: false,
    sender: 'BSON',
    cases: [...FILTER_CASES, ...FILTER_NO_REGEX_CASES],
  },
  {
    label: 'JSON sender, REGEX',
    regex: true,
    sender: 'JSON',
    cases: [...FILTER_CASES, ...FILTER_REGEX_CASES],
  },
  {
    label: 'BSON sender, REGEX',
    regex: true,
    sender: 'BSON',
    cases: [...FILTER_CASES, ...FILTER_REGEX_CASES],
  },
];

describe.each(MODES)('server filters ($label)', ({ regex, sender, cases }) => {
  let bus: TestBus;

  beforeAll(async () => {
    bus = await TestBus.start({ regex, maxSessionsPerIp: 1_000 });
    const { sid } = await bus.open({ cid: FILTER_SENDER_CID });
    const messages = FILTER_MESSAGES.map((m) => ({ ...m, queue: 'F' }));
    const res =
      sender === 'JSON'
        ? await bus.sendJson(sid, messages)
        : await bus.sendBson(sid, Buffer.concat(messages.map((m) => Buffer.from(serialize(m)))));
    expect(res.status).toBe(204);
  });

  afterAll(() => bus.close());

  it.each(cases.map((c) => [c.name, c] as const))('server filters: %s', async (_name, c) => {
    const ack = await bus.open({ queue: { F: { seq: 0, keep: false, filter: c.filter } } });
    const queueAck = ack.queue['F']!;
    if ('error' in c) {
      expect(queueAck).toEqual({ seq: null, error: c.error });
      return;
    }
    expect(queueAck.error).toBeNull();
    const frames = await bus.recvAll(ack.sid);
    expect(frames.map((f) => f['seq'])).toEqual(c.matches);
  });
});
