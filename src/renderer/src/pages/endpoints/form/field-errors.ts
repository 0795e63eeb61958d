/** The parts of the endpoint form a problem can belong to. */
export type EndpointField = 'name' | 'url' | 'events' | 'secret' | 'retry' | 'timeout' | 'maxInFlight' | 'relay' | 'template' | 'form';

/** A problem shown beside its field; one that depends on the dialect (a secret's shape, an event's name) says which. */
export interface FieldError {
  field: EndpointField;
  message: string;
  dialect?: string;
}

export type FieldErrors = Partial<Record<EndpointField, FieldError>>;

/** The problem to show at a field now: one tied to another dialect no longer applies. */
export function errorAt(errors: FieldErrors, field: EndpointField, dialect: string): string | null {
  const error = errors[field];
  if (!error) return null;
  return error.dialect && error.dialect !== dialect ? null : error.message;
}

/** Which field an engine refusal is about, read from its words (the engine checks what the form cannot: secrets, relays). */
export function fieldOfEngineError(message: string, dialect: string): FieldError {
  const rules: [RegExp, EndpointField, boolean][] = [
    [/secret/i, 'secret', true],
    [/template/i, 'template', false],
    [/relay|package/i, 'relay', false],
    [/event/i, 'events', true],
    [/retry|delay/i, 'retry', false],
    [/timeout/i, 'timeout', false],
    [/in ?flight/i, 'maxInFlight', false],
    [/url|http/i, 'url', false],
    [/name/i, 'name', false],
  ];
  const hit = rules.find(([pattern]) => pattern.test(message));
  if (!hit) return { field: 'form', message };
  return { field: hit[1], message, ...(hit[2] ? { dialect } : {}) };
}

export function checkUrl(url: string): string | null {
  if (!url) return 'Enter the URL to send to, for example http://127.0.0.1:9000/hooks';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return `Enter a full URL, starting with http:// or https://, for example http://${url.replace(/^\/+/, '')}`;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? null : `Endpoint URLs must start with http:// or https://, not ${u.protocol}`;
  } catch {
    return 'Enter a full URL, for example http://127.0.0.1:9000/hooks';
  }
}

/** A whole number in a range, or why not. */
export function checkWhole(text: string, min: number, max: number, what: string): { value: number } | { error: string } {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) return { error: `${what} is a whole number from ${min.toLocaleString()} to ${max.toLocaleString()}.` };
  return { value };
}
