/**
 * The three questions the demo asks the emulator, in the CloudTrail Lake style: the event data store id
 * is the table, eventData fields are reached with dots, free-form objects with JSON operators.
 */
export interface DemoQuery {
  title: string;
  /** How to print the rows: a table, or one column/value block per row for a whole record. */
  layout: 'table' | 'vertical';
  sql(eventDataStoreId: string): string;
}

export const DEMO_QUERIES: readonly DemoQuery[] = [
  {
    title: 'Failed logins per user',
    layout: 'table',
    sql: (store) =>
      `SELECT eventData.userIdentity.principalId AS principal, count(*) AS failed_logins,
        count(DISTINCT eventData.sourceIPAddress) AS source_ips, max(eventTime) AS last_attempt
      FROM ${store}
      WHERE eventData.eventName = 'Login' AND eventData.errorCode IS NOT NULL
      GROUP BY 1 ORDER BY failed_logins DESC, principal`,
  },
  {
    title: 'Actions per source IP address',
    layout: 'table',
    sql: (store) =>
      `SELECT eventData.sourceIPAddress AS source_ip, count(*) AS actions,
        array_join(array_agg(DISTINCT eventData.userIdentity.principalId ORDER BY eventData.userIdentity.principalId), ', ') AS users,
        array_join(array_agg(DISTINCT eventData.eventName ORDER BY eventData.eventName), ', ') AS event_names,
        count(eventData.errorCode) AS errors
      FROM ${store}
      GROUP BY 1 ORDER BY actions DESC, source_ip`,
  },
  {
    title: 'The full record of one event (the data export)',
    layout: 'vertical',
    sql: (store) =>
      `SELECT eventID, eventTime, eventCategory, eventType, awsRegion, recipientAccountId,
        eventData.eventSource, eventData.eventName, eventData.userIdentity, eventData.sourceIPAddress,
        eventData.userAgent, eventData.requestParameters, eventData.responseElements, eventData.errorCode,
        eventData.UID, eventData.additionalEventData, metadata.ingestionTime, metadata.channelARN
      FROM ${store}
      WHERE eventData.eventName = 'ExportData' AND eventData.errorCode IS NULL
      LIMIT 1`,
  },
];
