// A type-only stand-in for the part of @aws-sdk/client-cloudtrail-data that official-client-plugin.ts
// uses, so the example type-checks without the package installed. With the real package installed,
// delete this file: the real declarations are richer, and the example compiles against them unchanged.
declare module '@aws-sdk/client-cloudtrail-data' {
  export interface AuditEvent {
    id: string | undefined;
    eventData: string | undefined;
    eventDataChecksum?: string | undefined;
  }
  export interface PutAuditEventsCommandInput {
    auditEvents: AuditEvent[] | undefined;
    channelArn: string | undefined;
    externalId?: string | undefined;
  }
  // As the SDK generates it: every member may be undefined.
  export interface PutAuditEventsCommandOutput {
    successful: Array<{ id: string | undefined; eventID: string | undefined }> | undefined;
    failed:
      | Array<{ id: string | undefined; errorCode: string | undefined; errorMessage: string | undefined }>
      | undefined;
    $metadata: { httpStatusCode?: number; requestId?: string };
  }
  export class PutAuditEventsCommand {
    constructor(input: PutAuditEventsCommandInput);
  }
  export class CloudTrailDataClient {
    constructor(config?: { region?: string; endpoint?: string });
    send(
      command: PutAuditEventsCommand,
      options?: { abortSignal?: AbortSignal },
    ): Promise<PutAuditEventsCommandOutput>;
  }
}
