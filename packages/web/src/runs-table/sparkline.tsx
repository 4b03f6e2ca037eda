import { useEffect, useRef } from 'react'
import { sparklineSegments } from '../charts/core/sparkline-points.js'

const WIDTH = 56
const HEIGHT = 18

/** A tiny line of a series' shape, drawn on a canvas (a table shows many at once). */
export function Sparkline({ values }: { values: Float64Array }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const element = canvas.current
    const context = element?.getContext('2d')
    if (!element || !context) return
    const ratio = window.devicePixelRatio || 1
    element.width = WIDTH * ratio
    element.height = HEIGHT * ratio
    context.setTransform(ratio, 0, 0, ratio, 0, 0)
    context.clearRect(0, 0, WIDTH, HEIGHT)
    context.strokeStyle = getComputedStyle(element).getPropertyValue('--accent') || '#1f6feb'
    context.lineWidth = 1.2
    for (const segment of sparklineSegments(values, WIDTH, HEIGHT)) {
      context.beginPath()
      segment.forEach(([x, y], index) =>
        index === 0 ? context.moveTo(x, y) : context.lineTo(x, y),
      )
      if (segment.length === 1) context.arc(segment[0]![0], segment[0]![1], 1, 0, Math.PI * 2)
      context.stroke()
    }
  }, [values])
  return (
    <canvas
      ref={canvas}
      className="sparkline"
      style={{ width: WIDTH, height: HEIGHT }}
      aria-hidden
    />
  )
}
