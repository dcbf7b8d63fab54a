/**
 * The shapes the console reads from the emulator's JSON. They mirror the server's types, restated here
 * because the browser bundle cannot import Node modules.
 */

export interface StoredEvent {
  eventVersion: string;
  eventCategory: string;
  eventType: string;
  eventID: string;
  eventTime: string;
  awsRegion: string;
  recipientAccountId: string;
  metadata: { ingestionTime: string; channelARN: string };
  eventData: Record<string, unknown>;
}

export interface EventsPage {
  total: number;
  from: number;
  events: StoredEvent[];
}

export interface EmulatorStats {
  requests: number;
  putAuditEventsRequests: number;
  acceptedEvents: number;
  failedEvents: Record<string, number>;
  errors: Record<string, number>;
  throttled: number;
}

export interface Rejections {
  events: Array<{
    receivedAt: string;
    requestId: string;
    id: string;
    errorCode: string;
    errorMessage: string;
    eventData: unknown;
  }>;
  requests: Array<{
    receivedAt: string;
    requestId: string;
    statusCode: number;
    errorType: string;
    eventCount?: number;
  }>;
  stats: EmulatorStats;
}

export interface EventTimeline {
  bucketMillis: number;
  startMillis: number;
  buckets: number;
  series: Array<{ eventName: string; counts: number[] }>;
  total: number;
}
