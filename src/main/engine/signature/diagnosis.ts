import type { SafeBytes } from '../../../shared/types';

export type { Cause, Diagnosis, SafeBytes } from '../../../shared/types';

const TEXT_CAP = 64 * 1024;

export function safeBytes(bytes: Buffer): SafeBytes {
  const shown = bytes.subarray(0, TEXT_CAP);
  const text = shown
    .toString('utf8')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
  return { length: bytes.length, base64: bytes.toString('base64'), text, truncated: bytes.length > TEXT_CAP };
}
