import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react'
import type { ProjectRef } from '../api/nereid-api.js'
import type { WidgetLayout, WidgetWire } from '../api/wire-types.js'
import { clampLayout, GRID_COLUMNS, pixelsToCells, settleLayout } from './core/grid-layout.js'
import { WidgetView } from './widget-view.js'

export const ROW_HEIGHT = 60
const GAP = 10

type Drag = {
  id: string
  mode: 'move' | 'resize'
  startX: number
  startY: number
  origin: WidgetLayout
}

/**
 * Widgets on a 12-column grid. In edit mode a widget's header drags it and its corner resizes
 * it; others move out of the way when it is dropped.
 */
export function DashboardGrid({
  projectRef,
  widgets,
  editing,
  onLayout,
  onEdit,
  onRemove,
}: {
  projectRef: ProjectRef
  widgets: WidgetWire[]
  editing: boolean
  onLayout(widgets: WidgetWire[]): void
  onEdit(widget: WidgetWire): void
  onRemove(widget: WidgetWire): void
}) {
  const box = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(1200)
  const [drag, setDrag] = useState<Drag | null>(null)
  const [preview, setPreview] = useState<WidgetLayout | null>(null)
  useEffect(() => {
    const element = box.current
    if (!element) return
    const observer = new ResizeObserver(([entry]) => setWidth(entry!.contentRect.width))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  const column = (width + GAP) / GRID_COLUMNS

  const start = (widget: WidgetWire, mode: Drag['mode']) => (event: ReactPointerEvent) => {
    if (!editing || event.button !== 0) return
    event.preventDefault()
    ;(event.target as Element).setPointerCapture?.(event.pointerId)
    setDrag({
      id: widget.id,
      mode,
      startX: event.clientX,
      startY: event.clientY,
      origin: widget.layout,
    })
    setPreview(widget.layout)
  }
  const move = (event: ReactPointerEvent) => {
    if (!drag) return
    const delta = pixelsToCells(
      event.clientX - drag.startX,
      event.clientY - drag.startY,
      column,
      ROW_HEIGHT + GAP,
    )
    const origin = drag.origin
    setPreview(
      clampLayout(
        drag.mode === 'move'
          ? { ...origin, x: origin.x + delta.dx, y: origin.y + delta.dy }
          : { ...origin, w: origin.w + delta.dx, h: origin.h + delta.dy },
      ),
    )
  }
  const end = () => {
    if (drag && preview) {
      const moved = widgets.map((w) => (w.id === drag.id ? { ...w, layout: preview } : w))
      const settled = settleLayout(moved, drag.id)
      const byId = new Map(settled.map((item) => [item.id, item.layout]))
      onLayout(moved.map((w) => ({ ...w, layout: byId.get(w.id)! })))
    }
    setDrag(null)
    setPreview(null)
  }

  const rows = Math.max(4, ...widgets.map((w) => w.layout.y + w.layout.h))
  return (
    <div
      ref={box}
      className="dashboard-grid"
      style={{ height: rows * (ROW_HEIGHT + GAP) }}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
    >
      {widgets.map((widget) => {
        const layout = drag?.id === widget.id && preview ? preview : widget.layout
        const height = layout.h * (ROW_HEIGHT + GAP) - GAP
        return (
          <div
            key={widget.id}
            className="widget"
            data-widget={widget.title}
            style={{
              left: layout.x * column,
              top: layout.y * (ROW_HEIGHT + GAP),
              width: layout.w * column - GAP,
              height,
              opacity: drag?.id === widget.id ? 0.85 : 1,
              zIndex: drag?.id === widget.id ? 5 : 1,
            }}
          >
            <div
              className={`widget-header${editing ? ' editing' : ''}`}
              onPointerDown={start(widget, 'move')}
            >
              <span className="grow ellipsis">{widget.title || ' '}</span>
              {editing && (
                <>
                  <button
                    className="icon small"
                    onPointerDown={(e) => e.stopPropagation()}
                    onClick={() => onEdit(widget)}
                  >
                    Edit
                  </button>
                  <button
                    className="icon small danger"
                    aria-label={`Remove ${widget.title}`}
                    onPointerDown={(e) => e.stopPropagation()}
                    onClick={() => onRemove(widget)}
                  >
                    ✕
                  </button>
                </>
              )}
            </div>
            <div className="widget-body">
              <WidgetView projectRef={projectRef} widget={widget} height={height} />
            </div>
            {editing && (
              <div
                className="widget-resize"
                onPointerDown={start(widget, 'resize')}
                aria-label="Resize"
              />
            )}
          </div>
        )
      })}
    </div>
  )
}
