/** A thin bar: determinate when the fraction is known, moving otherwise. */
export function ProgressBar({ fraction, label }: { fraction?: number | null; label?: string }) {
  const known = fraction !== undefined && fraction !== null && Number.isFinite(fraction)
  return (
    <div
      role="progressbar"
      aria-label={label ?? 'Loading'}
      aria-valuenow={known ? Math.round(fraction * 100) : undefined}
    >
      <div className={`progress${known ? '' : ' indeterminate'}`}>
        <div
          style={known ? { width: `${Math.max(0, Math.min(1, fraction)) * 100}%` } : undefined}
        />
      </div>
      {label && <div className="small muted">{label}</div>}
    </div>
  )
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="muted small" role="status">
      <span className="spinner" /> {label ?? 'Loading…'}
    </span>
  )
}
