/**
 * The example service of the demo: an application that writes audit events as ordinary OTel log
 * records with `audit.*` attributes and semantic-convention fallbacks (`user.id`, `client.address`,
 * `user_agent.original`). It knows nothing of CloudTrail Lake: the pipeline does the rest.
 */
import type { DemoAction } from './demo-scenario.js';

/** The part of an OTel Logger the service uses, typed without importing @opentelemetry/api-logs. */
export interface DemoLogger {
  emit(record: {
    severityNumber?: number;
    severityText?: string;
    body?: string;
    attributes?: Record<string, string | number | boolean | Record<string, string | number | boolean>>;
  }): void;
}

const INFO = 9;
const WARN = 13;

/** What happened, for the demo's progress output. */
export interface DemoOutcome {
  audited: boolean;
  succeeded: boolean;
  line: string;
}

/** Performs one scripted action and logs it; returns a one-line description. */
export function performDemoAction(logger: DemoLogger, action: DemoAction): DemoOutcome {
  if (action.kind === 'housekeeping') {
    logger.emit({ severityNumber: INFO, severityText: 'INFO', body: action.message });
    return { audited: false, succeeded: true, line: `(not audited) ${action.message}` };
  }
  const request = {
    'user.id': action.user,
    'client.address': action.ip,
    'user_agent.original': action.userAgent,
  };
  switch (action.kind) {
    case 'login': {
      logger.emit({
        severityNumber: action.succeeds ? INFO : WARN,
        severityText: action.succeeds ? 'INFO' : 'WARN',
        body: action.succeeds ? `user ${action.user} signed in` : `sign-in failed for ${action.user}`,
        attributes: {
          ...request,
          'audit.event_name': 'Login',
          // The password is in the request as the client sent it: the redaction processor hides it.
          'audit.request_parameters': { username: action.user, password: action.password, mfaUsed: false },
          ...(action.succeeds
            ? { 'audit.response_elements': { result: 'Success' } }
            : {
                'audit.error_code': 'InvalidCredentials',
                'audit.error_message': 'Incorrect user name or password',
              }),
        },
      });
      return {
        audited: true,
        succeeded: action.succeeds,
        line: `${action.user.padEnd(6)} Login ${action.succeeds ? 'succeeded' : 'FAILED'} from ${action.ip}`,
      };
    }
    case 'changeRole':
      logger.emit({
        severityNumber: INFO,
        severityText: 'INFO',
        body: `${action.user} made ${action.target} ${action.to}`,
        attributes: {
          ...request,
          'audit.event_name': 'UpdateUserRole',
          'audit.request_parameters': { userName: action.target, role: action.to },
          'audit.response_elements': { previousRole: action.from, role: action.to },
        },
      });
      return {
        audited: true,
        succeeded: true,
        line: `${action.user.padEnd(6)} UpdateUserRole ${action.target}: ${action.from} -> ${action.to}`,
      };
    case 'exportData':
      logger.emit({
        severityNumber: action.allowed ? INFO : WARN,
        severityText: action.allowed ? 'INFO' : 'WARN',
        body: `${action.user} exported ${action.dataset}`,
        attributes: {
          ...request,
          'audit.event_name': 'ExportData',
          'audit.request_parameters': {
            dataset: action.dataset,
            format: 'csv',
            deliveryToken: action.deliveryToken,
          },
          ...(action.allowed
            ? { 'audit.response_elements': { rowCount: action.rows, exportId: `exp-${action.dataset}` } }
            : {
                'audit.error_code': 'AccessDenied',
                'audit.error_message': `${action.user} may not export ${action.dataset}`,
              }),
        },
      });
      return {
        audited: true,
        succeeded: action.allowed,
        line: `${action.user.padEnd(6)} ExportData ${action.dataset} ${action.allowed ? `(${action.rows} rows)` : 'DENIED'}`,
      };
    case 'deleteRecord':
      logger.emit({
        severityNumber: INFO,
        severityText: 'INFO',
        body: `${action.user} deleted ${action.recordId}`,
        attributes: {
          ...request,
          'audit.event_name': 'DeleteRecord',
          'audit.request_parameters': { recordId: action.recordId },
        },
      });
      return {
        audited: true,
        succeeded: true,
        line: `${action.user.padEnd(6)} DeleteRecord ${action.recordId}`,
      };
  }
}
