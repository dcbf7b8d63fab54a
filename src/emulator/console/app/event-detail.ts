import type { StoredEvent } from './console-types.js';
import { el, formatTime, replace } from './dom.js';
import { eventFields } from './filter-events.js';
import { renderJson } from './json-tree.js';

function definitionList(entries: Array<[string, string]>): HTMLElement {
  return el(
    'dl',
    { class: 'facts' },
    ...entries.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
  );
}

/** Opens the detail dialog for one stored event: summary, metadata (the channel), eventData, copy. */
export function showEventDetail(event: StoredEvent): void {
  const dialog = document.getElementById('event-detail') as HTMLDialogElement;
  const { node: eventDataNode, redactedCount } = renderJson(event.eventData);
  const copyStatus = el('span', { role: 'status', class: 'copy-status' });
  const copyButton = el('button', { type: 'button' }, 'Copy JSON');
  copyButton.addEventListener('click', () => {
    navigator.clipboard.writeText(JSON.stringify(event, null, 2)).then(
      () => (copyStatus.textContent = 'Copied to the clipboard.'),
      () => (copyStatus.textContent = 'The browser refused the clipboard; select the text instead.'),
    );
  });
  const closeButton = el('button', { type: 'button', class: 'close' }, 'Close');
  closeButton.addEventListener('click', () => dialog.close());
  const name = eventFields.eventName(event) || '(no eventName)';

  replace(
    dialog,
    el(
      'div',
      { class: 'detail' },
      el('header', { class: 'detail-head' }, el('h2', { id: 'detail-title' }, name), closeButton),
      definitionList([
        ['eventID', event.eventID],
        ['eventTime', `${event.eventTime} (${formatTime(event.eventTime)} local)`],
        ['eventSource', eventFields.eventSource(event)],
        ['awsRegion', event.awsRegion],
        ['recipientAccountId', event.recipientAccountId],
        [
          'eventVersion / category / type',
          `${event.eventVersion} / ${event.eventCategory} / ${event.eventType}`,
        ],
      ]),
      el('h3', {}, 'Metadata'),
      definitionList([
        ['ingestionTime', event.metadata.ingestionTime],
        ['channel', event.metadata.channelARN],
      ]),
      el('h3', {}, 'eventData'),
      el(
        'p',
        { class: redactedCount > 0 ? 'redaction-note has-redactions' : 'redaction-note' },
        redactedCount === 0
          ? 'No value was redacted.'
          : `${redactedCount} value${redactedCount === 1 ? ' was' : 's were'} redacted by the exporter (marked below).`,
      ),
      eventDataNode,
      el('div', { class: 'actions' }, copyButton, copyStatus),
    ),
  );
  dialog.showModal();
  closeButton.focus();
}
