// Every spec file runs with this: an unhandled promise rejection anywhere (in the library, the
// embedded server or the test) fails the test that was running, instead of passing unnoticed.
const unhandled: unknown[] = [];
const record = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(() => {
  process.on('unhandledRejection', record);
});

afterEach(() => {
  if (unhandled.length > 0) {
    const reasons = unhandled
      .splice(0)
      .map((r) => (r instanceof Error ? (r.stack ?? r.message) : String(r)));
    throw new Error(`Unhandled promise rejection(s):\n${reasons.join('\n')}`);
  }
});

afterAll(() => {
  process.off('unhandledRejection', record);
});
