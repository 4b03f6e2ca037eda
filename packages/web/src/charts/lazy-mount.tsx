import { useEffect, useRef, useState, type ReactNode } from 'react'

/**
 * Mounts its children once they come near the screen, so a grid of hundreds of charts reads and
 * draws only the ones a person scrolls to.
 */
export function LazyMount({ children, minHeight }: { children: ReactNode; minHeight: number }) {
  const box = useRef<HTMLDivElement>(null)
  const [seen, setSeen] = useState(false)
  useEffect(() => {
    const element = box.current
    if (!element || seen) return
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setSeen(true)
      },
      { rootMargin: '400px' },
    )
    observer.observe(element)
    return () => observer.disconnect()
  }, [seen])
  return (
    <div ref={box} style={{ minHeight }}>
      {seen ? children : null}
    </div>
  )
}
