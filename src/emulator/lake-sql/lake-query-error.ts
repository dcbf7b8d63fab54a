/**
 * The AWS exception names a Lake query can fail with. CloudTrail's StartQuery answers a statement it
 * cannot run with `InvalidQueryStatementException`, a store it does not know with
 * `EventDataStoreNotFoundException`; a query that ran too long ends `TIMED_OUT`, one cancelled ends
 * `CANCELLED` (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartQuery.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeQuery.html).
 * `UnsupportedOperationException` is returned when the optional engine is not installed, and
 * `QueryRowLimitExceeded` (the emulator's own, a FAILED query) when a result has more rows than allowed.
 */
export type LakeQueryErrorCode =
  | 'InvalidQueryStatementException'
  | 'EventDataStoreNotFoundException'
  | 'QueryTimedOut'
  | 'QueryCancelled'
  | 'QueryRowLimitExceeded'
  | 'UnsupportedOperationException';

/**
 * A Lake query that could not run or did not finish. It stands outside the library's `CTL_ERR_*`
 * hierarchy on purpose: its `code` is the AWS exception name the control plane sends back unchanged.
 */
export class LakeQueryError extends Error {
  override readonly name = 'LakeQueryError';
  readonly code: LakeQueryErrorCode;

  constructor(code: LakeQueryErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Shorthand for the most common failure: a statement Lake's SQL rules refuse. */
export function invalidQuery(message: string, cause?: unknown): LakeQueryError {
  return new LakeQueryError('InvalidQueryStatementException', message, { cause });
}
