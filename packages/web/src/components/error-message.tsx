import { describeError } from '../api/describe-error.js'

/** Any error, in words, with what to do about it. */
export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => void }) {
  const { title, detail, action } = describeError(error)
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong>
      <div>{detail}</div>
      <div className="muted small">{action}</div>
      {retry && (
        <div style={{ marginTop: 6 }}>
          <button onClick={retry}>Try again</button>
        </div>
      )}
    </div>
  )
}
