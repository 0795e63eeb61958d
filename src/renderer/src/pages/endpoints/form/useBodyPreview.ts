import { useEffect, useState } from 'react';
import type { EndpointBodyPreview } from '../../../../../shared/window-contract';
import { describeError } from '../../../lib/errors';
import { call } from '../../../stores/connection-store';

export type EndpointFormat = 'dialect' | 'slack' | 'discord' | 'template';

/** The engine renders what the endpoint would send, a moment after the last keystroke (the window never renders bodies itself). */
export function useBodyPreview(input: { dialect: string; format: EndpointFormat; template: string; event: string }) {
  const [state, setState] = useState<{ preview: EndpointBodyPreview | null; error: string | null }>({ preview: null, error: null });
  const { dialect, format, template, event } = input;
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      call('endpoints.preview', { dialect, format, template: format === 'template' ? template : null, event }).then(
        (preview) => current && setState({ preview, error: null }),
        (error: unknown) => current && setState({ preview: null, error: describeError(error) }),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [dialect, format, template, event]);
  return state;
}
