import type { Command } from 'commander';
import { registerBusQuery } from '../bus-query-command';
import type { CommandHost } from '../command-support';
import { formatFeatures } from '../format-bus-info';

/** Adds `hmb features`: what the server offers (GET /features). */
export function registerFeatures(program: Command, host: CommandHost): void {
  registerBusQuery(program, host, {
    name: 'features',
    summary: 'what the server offers (GET /features)',
    description:
      'Show what the server offers (GET /features): software, functions and capabilities (JSON, BSON, ' +
      'STREAM, WINDOW, FILTER, REGEX, OOD …); name/value lines on a terminal, JSON otherwise.',
    examples: [
      ['hmb features http://127.0.0.1:8000/alerts', 'software and capabilities'],
      [
        'hmb features http://127.0.0.1:8000/alerts | jq -e \'.capabilities | index("STREAM")\'',
        'does the server offer /stream?',
      ],
    ],
    query: (client) => client.features(),
    format: formatFeatures,
  });
}
