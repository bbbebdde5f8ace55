/**
 * Field names tried, in this order, when a source does not name its event-time field. Kept out
 * of `spec.ts` so the JSON Lines worker bundle does not carry the declaration schemas.
 */
export const TIME_FIELD_CANDIDATES = ['timestamp', '@timestamp', 'time', 'ts', 'TimeGenerated', 'eventTime', 'date'] as const;
