/**
 * Help written with `code` spans (the dialects' own descriptions, shared with the CLI): the
 * marked parts show as code, never as literal backticks.
 */
export function HelpText({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

/** The same text for places that take a plain string (a title attribute). */
export const plainHelp = (text: string) => text.replace(/`([^`]+)`/g, '$1');
