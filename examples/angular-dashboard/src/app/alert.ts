/** The queue the observatory publishes its alerts to. */
export const ALERT_QUEUE = 'SYSTEM_ALERT';

/**
 * What the dashboard reads of an alert message's data: only the fields it shows. Publishers may
 * send more; a message without these fields is not an alert and is not shown.
 */
export interface SeismicAlert {
  readonly eventId: string;
  readonly region: string;
  readonly magnitude: number;
  /** Depth in km. */
  readonly depthKm: number;
  /** Origin time, ISO 8601. */
  readonly originTime: string;
}

/** One row of the dashboard: an alert and where it sits on the bus. */
export interface AlertRow {
  readonly queue: string;
  readonly seq: number;
  readonly alert: SeismicAlert;
}

/** Whether a message's data is an alert the dashboard can show. */
export function isSeismicAlert(data: unknown): data is SeismicAlert {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return (
    typeof d['eventId'] === 'string' &&
    typeof d['region'] === 'string' &&
    typeof d['magnitude'] === 'number' &&
    typeof d['depthKm'] === 'number' &&
    typeof d['originTime'] === 'string' &&
    !Number.isNaN(Date.parse(d['originTime']))
  );
}

/** How strong an alert is, for its colour: the usual descriptive magnitude classes. */
export type MagnitudeClass = 'minor' | 'light' | 'moderate' | 'strong' | 'major';

export function magnitudeClass(magnitude: number): MagnitudeClass {
  if (magnitude < 3) return 'minor';
  if (magnitude < 4) return 'light';
  if (magnitude < 5) return 'moderate';
  if (magnitude < 6.5) return 'strong';
  return 'major';
}
