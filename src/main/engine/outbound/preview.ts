import { ApiError } from '../../../shared/contract';
import { ENGINE_EVENTS, type EngineEvent } from '../../../shared/types';
import type { EndpointBodyPreview } from '../../../shared/window-contract';
import { getDialect } from '../dialects';
import { renderFor } from './enqueue';
import { sampleEventData } from './render';

interface PreviewInput {
  dialect: string;
  format: 'dialect' | 'slack' | 'discord' | 'template';
  template?: string | null | undefined;
  event: string;
  url?: string | undefined;
}

/** The body an endpoint with these (unsaved) settings would send for a sample of the event: rendered by the same code that sends. */
export function previewEndpointBody(input: PreviewInput, now = Date.now()): EndpointBodyPreview {
  let dialect;
  try {
    dialect = getDialect(input.dialect);
  } catch (error) {
    throw new ApiError('invalid_params', (error as Error).message);
  }
  if (input.format === 'template' && !input.template) throw new ApiError('invalid_params', 'Write a template to preview, e.g. {"text": "{{event}} {{release.version}}"}.');
  if ((ENGINE_EVENTS as string[]).includes(input.event)) {
    const rendered = renderFor(
      { dialect: input.dialect, format: input.format, template: input.template ?? null },
      { event: input.event as EngineEvent, data: sampleEventData(now), messageId: 'msg_preview', endpointUrl: input.url ?? '', now },
    );
    return { event: rendered.event, contentType: rendered.contentType, body: rendered.body.toString('utf8') };
  }
  // The dialect's own samples go out as they are, whatever the format (as a trigger sends them).
  const sample = dialect.events.find((e) => e.name === input.event);
  if (!sample) throw new ApiError('invalid_params', `The ${dialect.name} dialect has no "${input.event}" event.`);
  return { event: sample.name, contentType: 'application/json', body: JSON.stringify(sample.sample()) };
}
