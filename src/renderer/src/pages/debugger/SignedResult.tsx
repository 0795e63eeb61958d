import { CopyButton, Empty } from '../../components/bits';
import { formatSize } from '../../lib/bytes';
import { useDebugger } from '../../stores/debugger-store';

/** The calculator's answer: headers to copy one by one, the cURL command, the signed bytes. */
export function SignedResult() {
  const signed = useDebugger((s) => s.signed);
  return (
    <section className="card result" aria-label="Signed request">
      {signed ? (
        <>
          <div className="section-head">
            <h3>Headers</h3>
            <CopyButton
              text={Object.entries(signed.headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join('\n')}
              label="Copy all"
            />
          </div>
          <table className="grid mono headers" aria-label="Signed headers">
            <tbody>
              {Object.entries(signed.headers).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                  <td className="shrink">
                    <CopyButton text={v} title={`Copy the ${k} value`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="section-head spaced">
            <h3>cURL</h3>
            <CopyButton text={signed.curl} label="Copy cURL" />
          </div>
          <pre className="body small" data-testid="curl">
            {signed.curl}
          </pre>
          <p className="muted note">Save the body as body.json next to where you run it; the command sends that file byte for byte.</p>
          <div className="section-head spaced">
            <h3>
              Signed bytes <span className="muted">({formatSize(signed.signedBytes.length)})</span>
            </h3>
          </div>
          <pre className="body small">{signed.signedBytes.text || '(nothing: this dialect compares a token instead of signing)'}</pre>
        </>
      ) : (
        <Empty title="Headers and a cURL command appear here">Pick a dialect, enter a secret and a body, then press Sign.</Empty>
      )}
    </section>
  );
}
