/**
 * Sample queries in CloudTrail Lake's SQL: the event data store id is the table; eventData fields are
 * reached with dots (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-limitations.html).
 */
export interface SampleQuery {
  title: string;
  sql(eventDataStoreId: string): string;
}

export const SAMPLE_QUERIES: readonly SampleQuery[] = [
  {
    title: 'Failed logins by user',
    sql: (store) => `SELECT eventData.userIdentity.principalId AS principal, count(*) AS failed_logins,
  max(eventTime) AS last_attempt
FROM ${store}
WHERE eventData.eventName = 'Login' AND eventData.errorCode IS NOT NULL
GROUP BY eventData.userIdentity.principalId
ORDER BY failed_logins DESC`,
  },
  {
    title: 'Actions by source IP',
    sql: (store) => `SELECT eventData.sourceIPAddress AS source_ip, count(*) AS actions,
  count(DISTINCT eventData.userIdentity.principalId) AS principals
FROM ${store}
GROUP BY eventData.sourceIPAddress
ORDER BY actions DESC`,
  },
  {
    title: 'Duplicates by UID',
    sql: (store) => `SELECT eventData.UID AS uid, count(*) AS copies
FROM ${store}
GROUP BY eventData.UID
HAVING count(*) > 1
ORDER BY copies DESC`,
  },
  {
    title: "The last hour's errors",
    sql: (store) => `SELECT eventTime, eventData.eventName, eventData.userIdentity.principalId AS principal,
  eventData.errorCode, eventData.errorMessage
FROM ${store}
WHERE eventData.errorCode IS NOT NULL AND eventTime > now() - interval '1' hour
ORDER BY eventTime DESC`,
  },
];
