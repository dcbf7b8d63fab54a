/**
 * PutAuditEvents' request quota: CloudTrail Lake allows a rate of requests per account and Region
 * ("PutAuditEvents ... 100 transactions per second", Service Quotas for AWS CloudTrail,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html), shared by
 * every client of that account. AWS enforces rate quotas with token buckets
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/throttling.html): a bucket of `burst` tokens
 * refilled at `requestsPerSecond`, one token per request, ThrottlingException when it is empty.
 */
export interface RequestQuotaOptions {
  /** Sustained requests per second per account and Region. */
  requestsPerSecond: number;
  /** Bucket size: requests that may arrive at once after a quiet second. @default requestsPerSecond */
  burst?: number;
}

export interface RequestQuota {
  /** Takes a token for `key` at `nowMillis`; false when the bucket is empty (throttle). */
  take(key: string, nowMillis: number): boolean;
}

export function createRequestQuota(options: RequestQuotaOptions): RequestQuota {
  const capacity = options.burst ?? options.requestsPerSecond;
  const buckets = new Map<string, { tokens: number; atMillis: number }>();
  return {
    take(key, nowMillis) {
      const bucket = buckets.get(key) ?? { tokens: capacity, atMillis: nowMillis };
      const elapsedSeconds = Math.max(0, nowMillis - bucket.atMillis) / 1000;
      bucket.tokens = Math.min(capacity, bucket.tokens + elapsedSeconds * options.requestsPerSecond);
      bucket.atMillis = nowMillis;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
