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
  // NOTE: the SDK's generated output types every member `| undefined`; PutAuditEventsFunction must accept
  // that for this adapter to compile against the real package (the exporter checks the shape at run time).
  export interface PutAuditEventsCommandOutput {
    successful: Array<{ id: string; eventID: string }>;
    failed: Array<{ id: string; errorCode: string; errorMessage: string }>;
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
