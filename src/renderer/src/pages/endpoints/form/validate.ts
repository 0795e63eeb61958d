import { parseDelays } from '../../../lib/format';
import { checkUrl, checkWhole, type EndpointField, type FieldErrors } from './field-errors';
import type { RelayValue } from './RelayField';
import { timeoutMs, type SendingValues } from './SendingFields';
import type { EndpointFormat } from './useBodyPreview';

export interface EndpointDraft {
  name: string;
  url: string;
  dialect: string;
  events: string[];
  retry: { mode: 'default' | 'custom'; text: string };
  sending: SendingValues;
  relay: RelayValue;
  format: { format: EndpointFormat; template: string };
}

/** What the form can tell before asking the engine, by field. */
export function problemAt(draft: EndpointDraft, field: EndpointField): string | null {
  switch (field) {
    case 'name':
      return draft.name.trim() ? null : 'Give the endpoint a name.';
    case 'url':
      return checkUrl(draft.url.trim());
    case 'events':
      return draft.events.length ? null : 'Pick at least one event to send.';
    case 'retry': {
      if (draft.retry.mode === 'default') return null;
      const parsed = parseDelays(draft.retry.text);
      return 'error' in parsed ? parsed.error : null;
    }
    case 'timeout': {
      const parsed = timeoutMs(draft.sending.timeoutSeconds);
      return 'error' in parsed ? parsed.error : null;
    }
    case 'maxInFlight': {
      const parsed = checkWhole(draft.sending.maxInFlight, 1, 256, 'Max in flight');
      return 'error' in parsed ? parsed.error : null;
    }
    case 'template':
      return draft.format.format === 'template' && !draft.format.template.trim() ? 'Write the template, e.g. {"text": "{{event}} {{release.version}}"}.' : null;
    default:
      return null;
  }
}

const CHECKED: EndpointField[] = ['name', 'url', 'events', 'retry', 'timeout', 'maxInFlight', 'template'];

export function checkDraft(draft: EndpointDraft): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of CHECKED) {
    const message = problemAt(draft, field);
    if (message) errors[field] = { field, message, ...(field === 'events' ? { dialect: draft.dialect } : {}) };
  }
  return errors;
}

/** After an edit: a field that had a problem is checked again, so its message goes as soon as it is fixed. */
export function recheck(errors: FieldErrors, draft: EndpointDraft, fields: EndpointField[]): FieldErrors {
  const next = { ...errors };
  for (const field of fields) {
    if (!next[field]) continue;
    const message = CHECKED.includes(field) ? problemAt(draft, field) : null;
    if (message) next[field] = { ...next[field], message };
    else delete next[field];
  }
  return next;
}

/** The draft as the engine takes it (call only once checkDraft found nothing). */
export function toFields(draft: EndpointDraft) {
  const delays = draft.retry.mode === 'custom' ? parseDelays(draft.retry.text) : { delays: null };
  const timeout = timeoutMs(draft.sending.timeoutSeconds);
  return {
    name: draft.name.trim(),
    url: draft.url.trim(),
    dialect: draft.dialect,
    events: draft.events,
    retryDelays: 'delays' in delays ? delays.delays : null,
    timeoutMs: 'value' in timeout ? timeout.value : 15_000,
    maxInFlight: Number(draft.sending.maxInFlight.trim()),
    relay: draft.relay,
    format: draft.format.format,
    template: draft.format.format === 'template' ? draft.format.template : null,
  };
}
