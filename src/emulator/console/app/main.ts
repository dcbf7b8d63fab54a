/**
 * The console's entry point: one tab per view, chosen by the URL's hash (`#events`, `#rejected`,
 * `#query`, `#timeline`), so a view can be bookmarked and the browser's back button works.
 */
import { createEventsView } from './events-view.js';
import { createQueryView } from './query-view.js';
import { createRejectedView } from './rejected-view.js';
import { createTimelineView } from './timeline-view.js';
import type { View } from './view.js';

const VIEW_FACTORIES: Record<string, (root: HTMLElement) => View> = {
  events: createEventsView,
  rejected: createRejectedView,
  query: createQueryView,
  timeline: createTimelineView,
};

const views = new Map<string, View>();
let current: string | undefined;

function showView(name: string): void {
  const chosen = Object.hasOwn(VIEW_FACTORIES, name) ? name : 'events';
  if (chosen === current) return;
  if (current !== undefined) {
    views.get(current)?.hide();
    document.getElementById(`view-${current}`)!.hidden = true;
  }
  const root = document.getElementById(`view-${chosen}`)!;
  let view = views.get(chosen);
  if (view === undefined) {
    view = VIEW_FACTORIES[chosen]!(root);
    views.set(chosen, view);
  }
  root.hidden = false;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-view]')) {
    if (link.dataset['view'] === chosen) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  current = chosen;
  view.show();
}

window.addEventListener('hashchange', () => showView(location.hash.slice(1)));
showView(location.hash.slice(1));
