import type { Command } from 'commander';
import { registerBusQuery } from '../bus-query-command';
import type { CommandHost } from '../command-support';
import { formatStatusTable } from '../format-bus-info';

/** Adds `hmb status`: the sessions of a bus (GET /status). */
export function registerStatus(program: Command, host: CommandHost): void {
  registerBusQuery(program, host, {
    name: 'status',
    summary: 'the sessions of a bus (GET /status)',
    description:
      "Show the sessions of a bus (GET /status): who is connected, each queue's next seq, bytes sent " +
      'and received; a table on a terminal, JSON otherwise.',
    examples: [
      ['hmb status http://127.0.0.1:8000/alerts', 'a table of the sessions'],
      [
        "hmb status http://127.0.0.1:8000/alerts | jq '.session | length'",
        'how many sessions the bus holds',
      ],
    ],
    query: (client) => client.status(),
    format: formatStatusTable,
  });
}
