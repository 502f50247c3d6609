import type { Command } from 'commander';
import { registerBusQuery } from '../bus-query-command';
import type { CommandHost } from '../command-support';
import { formatInfoTable } from '../format-bus-info';

/** Adds `hmb info`: the queues of a bus (GET /info). */
export function registerInfo(program: Command, host: CommandHost): void {
  registerBusQuery(program, host, {
    name: 'info',
    summary: 'the queues of a bus (GET /info)',
    description:
      'Show the queues of a bus with their seq and time ranges and topics (GET /info): a table on a ' +
      'terminal, JSON otherwise.',
    examples: [
      ['hmb info http://127.0.0.1:8000/alerts', 'a table of the queues'],
      [
        "hmb info http://127.0.0.1:8000/alerts | jq '.queue.SYSTEM_ALERT.endseq'",
        'the next seq of one queue',
      ],
    ],
    query: (client) => client.info(),
    format: formatInfoTable,
  });
}
