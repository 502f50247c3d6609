import { PassThrough, Readable } from 'node:stream';
import { ReadableChunks } from '../../src/transport/readable-chunks';

// The async iterator the undici transport reads /stream bodies with, on real Node streams.

class Mapped extends Error {
  constructor(readonly original: unknown) {
    super('mapped');
  }
}
const mapped = (cause: unknown): unknown => new Mapped(cause);

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += Buffer.from(chunk).toString('utf8');
  return text;
}

describe('ReadableChunks', () => {
  it('yields every chunk in order, including those written while it waits, then ends', async () => {
    const stream = new PassThrough();
    const reading = collect(new ReadableChunks(stream, mapped));
    stream.write('a');
    await new Promise((resolve) => setImmediate(resolve));
    stream.write('b');
    stream.end('c');
    await expect(reading).resolves.toBe('abc');
    expect(stream.destroyed).toBe(true);
  });

  it('a stream error rejects with the mapped error, once the chunks before it were read', async () => {
    const stream = new PassThrough();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of new ReadableChunks(stream, mapped))
        seen.push(Buffer.from(chunk).toString('utf8'));
    })();
    stream.write('first');
    await new Promise((resolve) => setImmediate(resolve));
    const cause = new Error('socket reset');
    stream.destroy(cause);
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Mapped);
    expect((error as Mapped).original).toBe(cause);
    expect(seen).toEqual(['first']);
  });

  it('a stream that closes before its end fails as cut short', async () => {
    const stream = new PassThrough();
    const reading = collect(new ReadableChunks(stream, mapped));
    stream.write('partial');
    await new Promise((resolve) => setImmediate(resolve));
    stream.destroy();
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Mapped);
    expect((error as Mapped).original).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('leaving early destroys the stream and the one it is piped from', async () => {
    const source = new PassThrough();
    const decoded = new PassThrough();
    source.pipe(decoded);
    source.write('x');
    for await (const chunk of new ReadableChunks(decoded, mapped, source)) {
      expect(Buffer.from(chunk).toString('utf8')).toBe('x');
      break;
    }
    expect(decoded.destroyed).toBe(true);
    expect(source.destroyed).toBe(true);
  });

  it('reads a stream that has already ended', async () => {
    await expect(
      collect(new ReadableChunks(Readable.from([Buffer.from('done')]), mapped)),
    ).resolves.toBe('done');
  });
});
