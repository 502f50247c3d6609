/**
 * Sample seismic alerts for the demo and the examples: earthquakes as an observatory such as EMSC
 * would publish them on an HMB bus (values are illustrative, not a catalogue).
 */
export interface SeismicAlert {
  /** Event id, stable across updates and across buses. */
  readonly eventId: string;
  readonly region: string;
  readonly magnitude: number;
  readonly magnitudeType: 'mb' | 'ML' | 'Mw';
  readonly latitude: number;
  readonly longitude: number;
  /** Depth in km. */
  readonly depthKm: number;
  /** Origin time, ISO 8601. */
  readonly originTime: string;
}

/** Topic per region group, so subscribers can pick regions with topic patterns. */
export function topicOf(alert: SeismicAlert): string {
  if (/GREECE|ITALY|TURKEY|ICELAND|PORTUGAL/.test(alert.region)) return 'EUROPE';
  if (/JAPAN|INDONESIA|PHILIPPINES|TAIWAN/.test(alert.region)) return 'ASIA_PACIFIC';
  if (/CHILE|PERU|MEXICO|ALASKA|CALIFORNIA/.test(alert.region)) return 'AMERICAS';
  return 'OTHER';
}

export const SAMPLE_ALERTS: readonly SeismicAlert[] = [
  {
    eventId: '20261124_0001',
    region: 'CRETE, GREECE',
    magnitude: 4.1,
    magnitudeType: 'ML',
    latitude: 35.21,
    longitude: 25.71,
    depthKm: 12,
    originTime: '2026-11-24T06:12:31.4Z',
  },
  {
    eventId: '20261124_0002',
    region: 'CENTRAL ITALY',
    magnitude: 2.8,
    magnitudeType: 'ML',
    latitude: 42.79,
    longitude: 13.15,
    depthKm: 9,
    originTime: '2026-11-24T06:40:02.9Z',
  },
  {
    eventId: '20261124_0003',
    region: 'NEAR EAST COAST OF HONSHU, JAPAN',
    magnitude: 5.9,
    magnitudeType: 'Mw',
    latitude: 38.1,
    longitude: 142.4,
    depthKm: 35,
    originTime: '2026-11-24T07:03:17.0Z',
  },
  {
    eventId: '20261124_0004',
    region: 'WESTERN TURKEY',
    magnitude: 3.6,
    magnitudeType: 'ML',
    latitude: 39.06,
    longitude: 28.3,
    depthKm: 7,
    originTime: '2026-11-24T07:55:48.2Z',
  },
  {
    eventId: '20261124_0005',
    region: 'OFFSHORE VALPARAISO, CHILE',
    magnitude: 6.3,
    magnitudeType: 'Mw',
    latitude: -33.05,
    longitude: -72.1,
    depthKm: 28,
    originTime: '2026-11-24T08:21:09.6Z',
  },
  {
    eventId: '20261124_0006',
    region: 'ICELAND',
    magnitude: 3.2,
    magnitudeType: 'ML',
    latitude: 63.9,
    longitude: -22.45,
    depthKm: 4,
    originTime: '2026-11-24T08:47:33.1Z',
  },
  {
    eventId: '20261124_0007',
    region: 'SOUTHERN SUMATRA, INDONESIA',
    magnitude: 5.2,
    magnitudeType: 'mb',
    latitude: -4.6,
    longitude: 102.1,
    depthKm: 60,
    originTime: '2026-11-24T09:14:52.8Z',
  },
  {
    eventId: '20261124_0008',
    region: 'GULF OF CALIFORNIA',
    magnitude: 4.4,
    magnitudeType: 'mb',
    latitude: 26.9,
    longitude: -110.8,
    depthKm: 10,
    originTime: '2026-11-24T09:36:20.3Z',
  },
  {
    eventId: '20261124_0009',
    region: 'DODECANESE ISLANDS, GREECE',
    magnitude: 4.7,
    magnitudeType: 'ML',
    latitude: 36.55,
    longitude: 27.1,
    depthKm: 15,
    originTime: '2026-11-24T10:02:44.0Z',
  },
  {
    eventId: '20261124_0010',
    region: 'AZORES ISLANDS, PORTUGAL',
    magnitude: 3.9,
    magnitudeType: 'ML',
    latitude: 38.5,
    longitude: -28.4,
    depthKm: 11,
    originTime: '2026-11-24T10:31:05.7Z',
  },
  {
    eventId: '20261124_0011',
    region: 'TAIWAN REGION',
    magnitude: 5.5,
    magnitudeType: 'Mw',
    latitude: 23.8,
    longitude: 121.6,
    depthKm: 22,
    originTime: '2026-11-24T11:08:19.9Z',
  },
  {
    eventId: '20261124_0012',
    region: 'SOUTHERN ALASKA',
    magnitude: 4.9,
    magnitudeType: 'ML',
    latitude: 61.3,
    longitude: -150.0,
    depthKm: 44,
    originTime: '2026-11-24T11:45:58.5Z',
  },
];
