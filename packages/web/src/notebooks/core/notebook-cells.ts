/** A cell of a Jupyter notebook, as the checkpoint view shows it. */
export interface NotebookCell {
  type: 'code' | 'markdown' | 'raw'
  source: string
  /** Text outputs of a code cell (stream text, plain-text results, error tracebacks). */
  outputs: string[]
  executionCount: number | null
}

export interface ParsedNotebook {
  cells: NotebookCell[]
  language: string
}

const text = (value: unknown): string =>
  Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : ''

/** Reads an .ipynb document (nbformat 4); throws a message a person can act on otherwise. */
export function parseNotebook(json: string): ParsedNotebook {
  let document: { cells?: unknown; metadata?: { kernelspec?: { language?: string } } }
  try {
    document = JSON.parse(json) as typeof document
  } catch {
    throw new Error('this checkpoint is not a notebook (.ipynb) file: it is not JSON')
  }
  if (!Array.isArray(document.cells)) {
    throw new Error('this checkpoint is not an nbformat 4 notebook: it has no "cells" list')
  }
  const cells = document.cells.map((raw): NotebookCell => {
    const cell = raw as {
      cell_type?: string
      source?: unknown
      outputs?: {
        output_type?: string
        text?: unknown
        data?: Record<string, unknown>
        traceback?: unknown
        ename?: string
        evalue?: string
      }[]
      execution_count?: number | null
    }
    const outputs = (cell.outputs ?? []).map((output) => {
      if (output.output_type === 'stream') return text(output.text)
      if (output.output_type === 'error')
        return `${output.ename ?? 'Error'}: ${output.evalue ?? ''}`
      return text(output.data?.['text/plain'])
    })
    return {
      type: cell.cell_type === 'markdown' ? 'markdown' : cell.cell_type === 'raw' ? 'raw' : 'code',
      source: text(cell.source),
      outputs: outputs.filter((output) => output !== ''),
      executionCount: typeof cell.execution_count === 'number' ? cell.execution_count : null,
    }
  })
  return { cells, language: document.metadata?.kernelspec?.language ?? 'python' }
}

/** The notebook as lines to diff: each cell's source under a header line naming the cell. */
export function notebookLines(notebook: ParsedNotebook): string[] {
  const lines: string[] = []
  notebook.cells.forEach((cell, index) => {
    lines.push(`# ── cell ${index + 1} (${cell.type}) ──`)
    lines.push(...cell.source.split('\n'))
  })
  return lines
}
