import { ApiError, callCloudTrail } from './api-client.js';
import { el, replace, table } from './dom.js';
import { SAMPLE_QUERIES } from './sample-queries.js';
import type { View } from './view.js';

/** Pause between two DescribeQuery calls while a query is QUEUED or RUNNING, in milliseconds. */
const STATUS_POLL_MILLIS = 250;
const PAGE_SIZES = [10, 25, 50, 100, 1000];
const TERMINAL_STATUSES = new Set(['FINISHED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

interface QueryStatistics {
  EventsScanned?: number;
  BytesScanned?: number;
  ExecutionTimeInMillis?: number;
  ResultsCount?: number;
  TotalResultsCount?: number;
}
interface DescribeQueryOutput {
  QueryStatus?: string;
  QueryStatistics?: QueryStatistics;
  ErrorMessage?: string;
}
interface GetQueryResultsOutput {
  QueryStatus?: string;
  QueryResultRows?: Array<Array<Record<string, string>>>;
  QueryStatistics?: QueryStatistics;
  NextToken?: string;
  ErrorMessage?: string;
}

function describe(error: unknown): string {
  return error instanceof ApiError ? `${error.type}: ${error.message}` : String(error);
}

function bytes(count: number | undefined): string {
  if (count === undefined) return '?';
  return count < 1024 ? `${count} B` : `${(count / 1024).toFixed(1)} KiB`;
}

/** The SQL editor: StartQuery, DescribeQuery until done, then GetQueryResults page by page. */
export function createQueryView(root: HTMLElement): View {
  let storeId: string | undefined;
  let queryId: string | undefined;
  /** NextToken of each page shown so far; `tokens[i]` fetches page i (page 0 has none). */
  let tokens: Array<string | undefined> = [undefined];
  let page = 0;
  let nextToken: string | undefined;
  let lastStatus = '';

  const sampleSelect = el(
    'select',
    { id: 'query-sample', name: 'query-sample' },
    el('option', { value: '' }, 'Choose a sample…'),
    ...SAMPLE_QUERIES.map((sample, index) => el('option', { value: index }, sample.title)),
  );
  const editor = el('textarea', {
    id: 'query-sql',
    name: 'query-sql',
    rows: 8,
    spellcheck: 'false',
    'aria-describedby': 'query-hint',
  });
  const pageSize = el(
    'select',
    { id: 'query-page-size', name: 'query-page-size' },
    ...PAGE_SIZES.map((size) => el('option', { value: size, selected: size === 50 }, size)),
  );
  const runButton = el('button', { type: 'submit' }, 'Run query');
  const status = el('p', { class: 'status', role: 'status', id: 'query-status' });
  const errorBox = el('p', { class: 'error', role: 'alert', hidden: true });
  const results = el('div', { class: 'query-results' });
  const previousButton = el('button', { type: 'button', disabled: true }, 'Previous page');
  const nextButton = el('button', { type: 'button', disabled: true }, 'Next page');
  const pageLabel = el('span', { class: 'page-label' });

  const form = el(
    'form',
    { class: 'query-form', 'aria-label': 'Query editor' },
    el(
      'div',
      { class: 'field-row' },
      el('div', { class: 'field' }, el('label', { for: 'query-sample' }, 'Sample queries'), sampleSelect),
      el('div', { class: 'field' }, el('label', { for: 'query-page-size' }, 'Rows per page'), pageSize),
    ),
    el('label', { for: 'query-sql' }, 'SQL'),
    editor,
    el(
      'p',
      { class: 'hint', id: 'query-hint' },
      'Runs through StartQuery and GetQueryResults, as the AWS SDKs do. Ctrl+Enter runs the query.',
    ),
    el('div', { class: 'actions' }, runButton),
  );
  replace(
    root,
    el('div', { class: 'view-head' }, el('h2', { id: 'query-title' }, 'Query')),
    form,
    status,
    errorBox,
    results,
    el('nav', { class: 'pager', 'aria-label': 'Result pages' }, previousButton, pageLabel, nextButton),
  );

  function showError(message: string | undefined): void {
    errorBox.hidden = message === undefined;
    errorBox.textContent = message ?? '';
  }

  function showStatus(state: string, statistics: QueryStatistics = {}): void {
    const parts = [state];
    if (statistics.ExecutionTimeInMillis !== undefined) parts.push(`${statistics.ExecutionTimeInMillis} ms`);
    if (statistics.EventsScanned !== undefined) parts.push(`${statistics.EventsScanned} events scanned`);
    if (statistics.BytesScanned !== undefined) parts.push(`${bytes(statistics.BytesScanned)} scanned`);
    if (statistics.TotalResultsCount !== undefined) parts.push(`${statistics.TotalResultsCount} rows`);
    lastStatus = parts.join(' · ');
    status.textContent = lastStatus;
  }

  async function loadStoreId(): Promise<string> {
    if (storeId !== undefined) return storeId;
    const output = await callCloudTrail<{ EventDataStores?: Array<{ EventDataStoreArn?: string }> }>(
      'ListEventDataStores',
      {},
    );
    const arn = output.EventDataStores?.[0]?.EventDataStoreArn;
    if (arn === undefined) throw new Error('The emulator lists no event data store.');
    storeId = arn.slice(arn.lastIndexOf('/') + 1);
    return storeId;
  }

  async function showPage(index: number): Promise<void> {
    if (queryId === undefined) return;
    const token = tokens[index];
    const output = await callCloudTrail<GetQueryResultsOutput>('GetQueryResults', {
      QueryId: queryId,
      MaxQueryResults: Number(pageSize.value),
      ...(token === undefined ? {} : { NextToken: token }),
    });
    page = index;
    nextToken = output.NextToken;
    if (nextToken !== undefined) tokens[index + 1] = nextToken;
    const rows = output.QueryResultRows ?? [];
    const columns = (rows[0] ?? []).map((cell) => Object.keys(cell)[0] ?? '');
    replace(
      results,
      rows.length === 0
        ? el('p', { class: 'hint' }, 'The query returned no rows.')
        : table(
            'Query results',
            columns,
            rows.map((cells) => cells.map((cell) => Object.values(cell)[0] ?? '')),
            'data query-rows',
          ),
    );
    previousButton.disabled = page === 0;
    nextButton.disabled = nextToken === undefined;
    pageLabel.textContent = `Page ${page + 1}`;
    status.textContent = `${lastStatus} · page ${page + 1} (${rows.length} rows)`;
  }

  async function run(sql: string): Promise<void> {
    showError(undefined);
    replace(results);
    previousButton.disabled = nextButton.disabled = true;
    pageLabel.textContent = '';
    showStatus('Starting…');
    const started = await callCloudTrail<{ QueryId: string }>('StartQuery', { QueryStatement: sql });
    queryId = started.QueryId;
    tokens = [undefined];
    let described: DescribeQueryOutput;
    for (;;) {
      described = await callCloudTrail<DescribeQueryOutput>('DescribeQuery', { QueryId: queryId });
      showStatus(described.QueryStatus ?? 'UNKNOWN', described.QueryStatistics);
      if (TERMINAL_STATUSES.has(described.QueryStatus ?? '')) break;
      await new Promise((resolve) => window.setTimeout(resolve, STATUS_POLL_MILLIS));
    }
    if (described.QueryStatus !== 'FINISHED') {
      showError(described.ErrorMessage ?? `The query ended ${described.QueryStatus ?? 'without a status'}.`);
      return;
    }
    await showPage(0);
  }

  function guarded(action: () => Promise<void>): void {
    runButton.disabled = true;
    action()
      .catch((error: unknown) => {
        showStatus('FAILED');
        showError(describe(error));
      })
      .finally(() => (runButton.disabled = false));
  }

  sampleSelect.addEventListener('change', () => {
    const sample = SAMPLE_QUERIES[Number(sampleSelect.value)];
    if (sampleSelect.value === '' || sample === undefined) return;
    guarded(async () => {
      editor.value = sample.sql(await loadStoreId());
      editor.focus();
    });
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const sql = editor.value.trim();
    if (sql === '') return showError('Write a SQL statement first, or choose a sample.');
    guarded(() => run(sql));
  });
  editor.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  previousButton.addEventListener('click', () => guarded(() => showPage(page - 1)));
  nextButton.addEventListener('click', () => guarded(() => showPage(page + 1)));

  return {
    show() {
      if (editor.value !== '') return;
      loadStoreId().then(
        (id) => {
          if (editor.value === '')
            editor.value = `SELECT eventData.eventName, count(*) AS events\nFROM ${id}\nGROUP BY eventData.eventName\nORDER BY events DESC`;
        },
        (error: unknown) => showError(`Could not find the event data store: ${describe(error)}`),
      );
    },
    hide() {},
  };
}
