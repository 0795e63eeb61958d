import { HelpText } from '../../../components/HelpText';

/** A problem with one field, shown right under it (the engine's `code` marks show as code). */
export function FieldProblem({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <span className="field-error" id={id} role="alert">
      <HelpText text={message} />
    </span>
  );
}
