import { useId } from 'react';
import { RadioGroup } from '../../../components/RadioGroup';
import { FieldProblem } from './FieldProblem';
import { useBodyPreview, type EndpointFormat } from './useBodyPreview';

interface Props {
  dialect: string;
  dialectLabel: string;
  format: EndpointFormat;
  template: string;
  /** The event the preview renders (the first release event the endpoint takes, else release.published). */
  event: string;
  problem: string | null;
  onChange(next: { format: EndpointFormat; template: string }): void;
}

/** The engine's compact JSON laid out to read; a template's body is shown exactly as it goes out. */
function readable(body: string, exact: boolean): string {
  if (exact) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

const EXAMPLE_TEMPLATE = '{"text": "{{event}}: {{package.name}} {{release.version}} ({{release.tag}})"}';

/** What the body looks like: the dialect's payloads, a chat message, or the user's own template, with the body it renders to. */
export function FormatField({ dialect, dialectLabel, format, template, event, problem, onChange }: Props) {
  const templateId = useId();
  const { preview, error } = useBodyPreview({ dialect, format, template, event });
  return (
    <div className="format-field">
      <RadioGroup
        legend="Body format"
        value={format}
        onChange={(next) => onChange({ format: next, template: next === 'template' && !template ? EXAMPLE_TEMPLATE : template })}
        options={[
          { id: 'dialect', label: `${dialectLabel} payloads` },
          { id: 'slack', label: 'Slack message' },
          { id: 'discord', label: 'Discord message' },
          { id: 'template', label: 'My template' },
        ]}
      />
      {format === 'template' ? (
        <div className="field">
          <label htmlFor={templateId}>Template</label>
          <textarea
            id={templateId}
            className="mono"
            rows={4}
            value={template}
            spellCheck={false}
            aria-describedby={problem ? `${templateId}-problem` : undefined}
            onChange={(e) => onChange({ format, template: e.target.value })}
          />
          <span className="hint-text">
            Placeholders: <code>{'{{event}}'}</code>, <code>{'{{messageId}}'}</code>, <code>{'{{timestamp}}'}</code>, <code>{'{{package.name}}'}</code>,{' '}
            <code>{'{{package.repo}}'}</code>, <code>{'{{release.version}}'}</code>, <code>{'{{release.tag}}'}</code>. A template starting with {'{'} or [ is sent as
            JSON, its values escaped.
          </span>
          <FieldProblem id={`${templateId}-problem`} message={problem} />
        </div>
      ) : null}
      <div className="body-preview" aria-label="Body preview" data-testid="body-preview">
        <div className="hint-text">
          {preview ? (
            <>
              Sample <code>{event}</code> goes out as <code>{preview.event}</code>, <code>{preview.contentType}</code>:
            </>
          ) : (
            `Sample ${event}:`
          )}
        </div>
        {error ? <p className="hint-text">{error}</p> : <pre className="mono preview-body">{preview ? readable(preview.body, format === 'template') : '…'}</pre>}
      </div>
    </div>
  );
}
